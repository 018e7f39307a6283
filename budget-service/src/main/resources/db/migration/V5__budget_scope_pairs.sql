-- The gate finds the budgets a request matches through an index of their scope pairs, so that its
-- cost follows the budgets a request matches, not how many exist (gate_batch in R__gate_batch.sql).
--
-- One row per (key, value) of a live budget's scope, with the scope's size: a budget is a
-- candidate for a request when as many of its pairs are among the request's pairs as its scope
-- has. Values are kept as jsonb, compared by equality: a request's values are strings
-- (ReserveCommand.keys), and for a string containment (@>) is equality.
CREATE TABLE budget_scope_pair (
    budget_id  uuid     NOT NULL REFERENCES budget (id) ON DELETE CASCADE,
    key        text     NOT NULL,
    value      jsonb    NOT NULL,
    scope_size smallint NOT NULL,
    PRIMARY KEY (budget_id, key)
);
-- The look-up by a request's pair; budget_id and scope_size ride along for an index-only scan.
CREATE INDEX budget_scope_pair_match ON budget_scope_pair (key, value) INCLUDE (budget_id, scope_size);

-- Live budgets with an empty scope have no pairs and match every request.
CREATE INDEX budget_live_unscoped ON budget (name, created_at) WHERE archived_at IS NULL AND scope = '{}'::jsonb;

-- Kept in step by a trigger, in the transaction of every write to a budget's scope or archive
-- time, whatever writes it (the service, a seed, an operator's SQL): the pairs cannot drift from
-- budget.scope. An archived budget has no pairs. A scope that is not a JSON object (never written
-- by the service) matches nothing, as before: it gets no pairs and is not an empty scope.
CREATE FUNCTION budget_scope_pairs_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM budget.budget_scope_pair WHERE budget_id = OLD.id;
    END IF;
    IF NEW.archived_at IS NULL AND jsonb_typeof(NEW.scope) = 'object' THEN
        INSERT INTO budget.budget_scope_pair (budget_id, key, value, scope_size)
        SELECT NEW.id, p.key, p.value, count(*) OVER ()
          FROM jsonb_each(NEW.scope) AS p;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER budget_scope_pairs_sync
    AFTER INSERT OR UPDATE OF scope, archived_at ON budget
    FOR EACH ROW EXECUTE FUNCTION budget_scope_pairs_sync();

-- Budgets created before this migration.
INSERT INTO budget_scope_pair (budget_id, key, value, scope_size)
SELECT bg.id, p.key, p.value, count(*) OVER (PARTITION BY bg.id)
  FROM budget bg, jsonb_each(bg.scope) AS p
 WHERE bg.archived_at IS NULL AND jsonb_typeof(bg.scope) = 'object';
