-- Budgets an operator marks as exported get per-budget gauges; the rest are exported as aggregates,
-- so a Prometheus target stays small however many budgets exist. The seed budgets set it at insert.
ALTER TABLE budget ADD COLUMN exported boolean NOT NULL DEFAULT false;
-- Every budget had its gauges before this version: the live ones keep them (and the alerts on them)
-- through the upgrade; beyond bulwark.budget.exported-limit the newest are left out and counted.
UPDATE budget SET exported = true WHERE archived_at IS NULL;

-- The listing's keyset order: name in byte order, then id (names repeat among archived budgets).
-- COLLATE "C" makes a name prefix a range of this index (name >= 'abc' AND name < 'abd'), which the
-- database's own collation would not guarantee, and keeps the order the same on every cluster.
CREATE INDEX budget_name_c_id ON budget (name COLLATE "C", id);

-- The live exported budgets, oldest first: the gauges read the first bulwark.budget.exported-limit,
-- so a budget exported later never takes the gauges (and alerts) of one exported before it.
CREATE INDEX budget_exported_created_id ON budget (created_at, id)
    WHERE exported AND archived_at IS NULL;

-- The listing's scope filters (scope @> {"team": "t1"}, scope ? 'team').
CREATE INDEX budget_scope ON budget USING gin (scope);
