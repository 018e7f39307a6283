-- The gate's functions, in one repeatable migration so that their next change is a readable diff
-- of this file. Flyway runs it after every versioned migration, on a fresh database and again
-- whenever this file changes; CREATE OR REPLACE swaps each function in place (same signature, same
-- object), so replicas still running during a deploy never find the gate missing. A change of a
-- signature or return type needs a DROP of the old one in a versioned migration first.
--
-- The gate decides a whole batch of operations in one statement, gate_batch(...): it locks the
-- affected budget period rows, decides in arrival order and writes, so a hot period row stays
-- locked for part of one statement and its commit, with no hop back to the service in between.

-- Start of the period of this kind that contains at_time, aligned to zone tz (PeriodKind.startOf).
CREATE OR REPLACE FUNCTION period_start(kind text, tz text, at_time timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT CASE kind
               WHEN 'daily' THEN date_trunc('day', at_time, tz)
               WHEN 'weekly' THEN date_trunc('week', at_time, tz)
               WHEN 'monthly' THEN date_trunc('month', at_time, tz)
               ELSE 'epoch'::timestamptz
           END
$$;

-- End (exclusive) of the period starting at first; null for total (PeriodKind.endOf).
CREATE OR REPLACE FUNCTION period_end(kind text, tz text, first timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT CASE kind
               WHEN 'daily' THEN ((first AT TIME ZONE tz) + interval '1 day') AT TIME ZONE tz
               WHEN 'weekly' THEN ((first AT TIME ZONE tz) + interval '1 week') AT TIME ZONE tz
               WHEN 'monthly' THEN ((first AT TIME ZONE tz) + interval '1 month') AT TIME ZONE tz
           END
$$;

-- An instant as the service writes it: ISO-8601 in UTC.
CREATE OR REPLACE FUNCTION iso_utc(t timestamptz) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- The answer to a reserve (or an ungated spend) as it was first given, from its stored row. A
-- denial stores only what its columns do not hold, {"s": softLimitCrossed, "d": the budget that
-- denied}: most calls on a full budget are denials, and each keeps its key for the retention window.
CREATE OR REPLACE FUNCTION decision_answer(r budget.reservation) RETURNS jsonb
    LANGUAGE sql STABLE AS $$
    SELECT CASE
               WHEN r.status = 'denied' AND r.decision ? 'd' THEN jsonb_build_object(
                   'reservationId', r.id, 'granted', false, 'status', 'denied',
                   'estimateUsd', r.estimate_usd, 'createdAt', budget.iso_utc(r.created_at),
                   'expiresAt', budget.iso_utc(r.expires_at),
                   'softLimitCrossed', (r.decision ->> 's')::boolean,
                   'budgets', jsonb_build_array(r.decision -> 'd'), 'deniedBy', r.decision -> 'd')
               ELSE r.decision
           END
$$;

-- Decides one batch of gate operations, in arrival order, each seeing the counters the ones before
-- it left, so that a batch grants exactly what the same requests would one by one.
--
-- op_kinds lists the operations in arrival order: 'reserve', 'ungated', 'commit', 'release' or
-- 'expire'. The r_* arrays hold the reserves and ungated spends in that order (r_estimate is an
-- ungated spend's amount, r_ttl_ms is ignored for it), the s_* arrays the settlements (s_actual is
-- ignored but for commits). Returns one row per operation, in order: outcome is
--   'decision'          body is the decision, or the recorded ungated spend (a replay returns the
--                       first answer unchanged)
--   'reservation'       body is the reservation after the commit, release or expiry (a commit
--                       after the hold expired is recorded late: "late": true)
--   'key-reused'        the idempotency key was first used with another request body
--   'not-found'         no reservation has this id
--   'already-committed' body is the amount the reservation was committed with
--   'settled'           body is the status that forbids the commit or release
-- and replayed says whether the answer repeats an earlier one.
--
-- Late commits count in the periods containing at_time of the live budgets the reservation held,
-- and an ungated spend in the current periods of the budgets it matches, never refused.
--
-- Locks: the reservations to settle in id order, then the period rows in (budget, start) order,
-- the same order in every transaction, so batches on any replicas never deadlock. Everything that
-- does not depend on the counters (settlements, their ledger entries, idempotency look-ups) is done
-- before the period rows are locked: a hot row is locked for the decisions and their writes only.
-- Raises BW001 when a concurrent transaction committed one of the idempotency keys first: the
-- caller retries, and the retry replays it.
CREATE OR REPLACE FUNCTION gate_batch(
    at_time    timestamptz,
    op_kinds   text[],
    r_ids      uuid[],
    r_keys     text[],
    r_hashes   text[],
    r_category text[],
    r_team     text[],
    r_op       text[],
    r_labels   text[],
    r_match    text[],
    r_estimate numeric[],
    r_ttl_ms   bigint[],
    s_ids      uuid[],
    s_actual   numeric[])
    RETURNS TABLE (outcome text, replayed boolean, body text)
    LANGUAGE plpgsql
    -- Every statement here is a keyed lookup; the reservation tables grow fast and their
    -- statistics lag autoanalyze, and a plan made while they were small scans them whole.
    -- Generic plans: planning each statement on every call would cost more than the batch.
    SET enable_seqscan = off
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    n_ops       int := coalesce(cardinality(op_kinds), 0);
    live        budget.budget[];
    starts      timestamptz[];
    wanted      boolean[];
    b_period    int[];                       -- index in locked of each live budget's period
    locked      budget.budget_period[];
    dirty       boolean[];
    settling    budget.reservation[];
    changed     boolean[];
    held_by     budget.reservation_hold[];
    hold_period int[];                       -- index in locked of each hold's period
    holds_json  jsonb[];                     -- holds of each reservation in settling, as JSON
    effect      text[];                      -- per op: 'release', 'commit', 'late' or 'release-late'
    effect_res  int[];                       -- per op: index in settling
    effect_amt  numeric[];                   -- per op: the actual cost committed
    late_of     budget.budget[];             -- live budgets held by reservations committed late
    late_ids    uuid[] := '{}';              -- periods at_time of those budgets, to lock
    late_starts timestamptz[] := '{}';
    late_ends   timestamptz[] := '{}';
    late_start  timestamptz;
    earlier     budget.reservation[];
    first_of    int[];
    decided     text[];                      -- decision of each reserve, by reserve ordinal
    fresh       budget.reservation[] := '{}';
    new_holds   budget.reservation_hold[] := '{}';
    spends      budget.spend[] := '{}';
    outs        text[];
    replays     boolean[];
    bodies      text[];
    keys        jsonb[];
    r           budget.reservation;
    h           budget.reservation_hold;
    s           budget.spend;
    u           budget.spend;                -- an ungated spend's ledger entry
    ungated     budget.spend[] := '{}';
    matching    int[];
    states      jsonb;
    state       jsonb;
    denied_by   jsonb;
    soft        boolean;
    granted     boolean;
    used        numeric;
    ov          numeric;
    ri          int := 0;
    si          int := 0;
    b           int;
    j           int;
    k           int;
    p           int;
    inserted    bigint;
    missing     boolean;
BEGIN
    outs := array_fill(NULL::text, ARRAY[n_ops]);
    replays := array_fill(false, ARRAY[n_ops]);
    bodies := array_fill(NULL::text, ARRAY[n_ops]);
    effect := array_fill(NULL::text, ARRAY[n_ops]);
    effect_res := array_fill(NULL::int, ARRAY[n_ops]);
    effect_amt := array_fill(NULL::numeric, ARRAY[n_ops]);

    -- The candidate budgets, in name order (decisions list them so, and the first that refuses
    -- denies), with the start of their current period: live budgets with an empty scope, and those
    -- with all of their scope's pairs among one request's pairs, found through the index of scope
    -- pairs (V5), so that the cost follows the budgets the requests match, not how many exist.
    -- The exact test (keys @> scope) below still decides which ones each request matches.
    SELECT coalesce(array_agg(bg ORDER BY bg.name, bg.created_at), '{}'),
           coalesce(array_agg(budget.period_start(bg.period, bg.time_zone, at_time) ORDER BY bg.name, bg.created_at), '{}')
      INTO live, starts
      FROM budget.budget bg
     WHERE bg.archived_at IS NULL
       AND bg.id IN (SELECT sp.budget_id
                       FROM unnest(r_match) WITH ORDINALITY AS m(pairs, n)
                            CROSS JOIN LATERAL jsonb_each(m.pairs::jsonb) AS rp
                            JOIN budget.budget_scope_pair sp ON sp.key = rp.key AND sp.value = rp.value
                      GROUP BY m.n, sp.budget_id, sp.scope_size
                     HAVING count(*) = sp.scope_size
                     UNION ALL
                     SELECT eb.id
                       FROM budget.budget eb
                      WHERE eb.archived_at IS NULL AND eb.scope = '{}'::jsonb AND cardinality(r_match) > 0);
    wanted := array_fill(false, ARRAY[cardinality(live)]);
    b_period := array_fill(NULL::int, ARRAY[cardinality(live)]);
    keys := array_fill(NULL::jsonb, ARRAY[coalesce(cardinality(r_match), 0)]);
    FOR i IN 1..cardinality(keys) LOOP
        keys[i] := r_match[i]::jsonb;
        FOR g IN 1..cardinality(live) LOOP
            IF NOT wanted[g] AND keys[i] @> (live[g]).scope THEN
                wanted[g] := true;
            END IF;
        END LOOP;
    END LOOP;

    -- Settlements: they depend on the reservations only, locked here, and are written before the
    -- period rows are locked; their effect on the counters is applied in order further down.
    IF cardinality(s_ids) > 0 THEN
        WITH l AS MATERIALIZED (
            SELECT rx FROM budget.reservation rx WHERE rx.id = ANY (s_ids) ORDER BY rx.id FOR UPDATE OF rx)
        SELECT (SELECT coalesce(array_agg(l.rx ORDER BY (l.rx).id), '{}') FROM l),
               (SELECT coalesce(array_agg(x), '{}') FROM budget.reservation_hold x WHERE x.reservation_id = ANY (s_ids))
          INTO settling, held_by;
    ELSE
        settling := '{}';
        held_by := '{}';
    END IF;
    changed := array_fill(false, ARRAY[cardinality(settling)]);
    holds_json := array_fill('[]'::jsonb, ARRAY[cardinality(settling)]);
    FOR x IN 1..cardinality(held_by) LOOP
        FOR q IN 1..cardinality(settling) LOOP
            IF (settling[q]).id = (held_by[x]).reservation_id THEN
                holds_json[q] := holds_json[q] || jsonb_build_array(jsonb_build_object(
                    'budgetId', (held_by[x]).budget_id, 'periodStart', budget.iso_utc((held_by[x]).period_start),
                    'amountUsd', (held_by[x]).amount_usd));
                EXIT;
            END IF;
        END LOOP;
    END LOOP;
    FOR i IN 1..n_ops LOOP
        CONTINUE WHEN op_kinds[i] IN ('reserve', 'ungated');
        si := si + 1;
        k := NULL;
        FOR q IN 1..cardinality(settling) LOOP
            IF (settling[q]).id = s_ids[si] THEN
                k := q;
                EXIT;
            END IF;
        END LOOP;
        IF k IS NULL THEN
            outs[i] := 'not-found';
            CONTINUE;
        END IF;
        r := settling[k];
        effect_res[i] := k;
        IF r.status = 'held' AND at_time >= r.expires_at THEN
            -- Expire first, whoever asks: a hold never outlives its TTL.
            effect[i] := 'release';
            r.status := 'expired';
            r.settled_at := at_time;
            changed[k] := true;
        END IF;
        IF op_kinds[i] = 'commit' THEN
            IF r.status = 'held' THEN
                ov := greatest(s_actual[si] - r.estimate_usd, 0);
                effect[i] := 'commit';
                effect_amt[i] := s_actual[si];
                r.status := 'committed';
                r.actual_usd := s_actual[si];
                r.settled_at := at_time;
                changed[k] := true;
                s.reservation_id := r.id;
                s.occurred_at := at_time;
                s.amount_usd := s_actual[si];
                s.estimate_usd := r.estimate_usd;
                s.overrun_usd := ov;
                s.category := r.category;
                s.team := r.team;
                s.operation := r.operation;
                s.labels := r.labels;
                s.kind := 'reserved';
                s.budget_ids := '{}';
                FOR x IN 1..cardinality(held_by) LOOP
                    IF (held_by[x]).reservation_id = r.id THEN
                        s.budget_ids := s.budget_ids || (held_by[x]).budget_id;
                    END IF;
                END LOOP;
                spends := spends || s;
                outs[i] := 'reservation';
            ELSIF r.status = 'committed' AND r.actual_usd = s_actual[si] THEN
                outs[i] := 'reservation';
                replays[i] := true;
            ELSIF r.status = 'committed' THEN
                outs[i] := 'already-committed';
                bodies[i] := r.actual_usd::text;
            ELSIF r.status = 'expired' THEN
                -- The operation ran after all and its money is spent: record it, late, in the
                -- periods it lands in (containing at_time) of the live budgets the hold was in; all
                -- of it is an overrun, as nothing is held for it any more.
                IF late_of IS NULL THEN
                    SELECT coalesce(array_agg(bg ORDER BY bg.id), '{}') INTO late_of
                      FROM budget.budget bg
                     WHERE bg.id IN (SELECT y.budget_id FROM unnest(held_by) AS y) AND bg.archived_at IS NULL;
                END IF;
                effect[i] := CASE WHEN effect[i] = 'release' THEN 'release-late' ELSE 'late' END;
                effect_amt[i] := s_actual[si];
                r.status := 'committed';
                r.actual_usd := s_actual[si];
                r.settled_at := at_time;
                r.late := true;
                changed[k] := true;
                s.reservation_id := r.id;
                s.occurred_at := at_time;
                s.amount_usd := s_actual[si];
                s.estimate_usd := r.estimate_usd;
                s.overrun_usd := s_actual[si];
                s.category := r.category;
                s.team := r.team;
                s.operation := r.operation;
                s.labels := r.labels;
                s.kind := 'late';
                s.budget_ids := '{}';
                FOR x IN 1..cardinality(held_by) LOOP
                    CONTINUE WHEN (held_by[x]).reservation_id <> r.id;
                    FOR q IN 1..cardinality(late_of) LOOP
                        IF (late_of[q]).id = (held_by[x]).budget_id THEN
                            late_start := budget.period_start((late_of[q]).period, (late_of[q]).time_zone, at_time);
                            s.budget_ids := s.budget_ids || (late_of[q]).id;
                            late_ids := late_ids || (late_of[q]).id;
                            late_starts := late_starts || late_start;
                            late_ends := late_ends
                                || budget.period_end((late_of[q]).period, (late_of[q]).time_zone, late_start);
                        END IF;
                    END LOOP;
                END LOOP;
                spends := spends || s;
                outs[i] := 'reservation';
            ELSE
                outs[i] := 'settled';
                bodies[i] := r.status;
            END IF;
        ELSIF op_kinds[i] = 'release' THEN
            IF r.status = 'held' THEN
                effect[i] := 'release';
                r.status := 'released';
                r.settled_at := at_time;
                changed[k] := true;
                outs[i] := 'reservation';
            ELSIF r.status IN ('released', 'expired') THEN
                outs[i] := 'reservation';
                replays[i] := true;
            ELSE
                outs[i] := 'settled';
                bodies[i] := r.status;
            END IF;
        ELSE
            outs[i] := 'reservation';
        END IF;
        IF outs[i] = 'reservation' THEN
            bodies[i] := jsonb_build_object(
                'id', r.id, 'idempotencyKey', r.idempotency_key, 'requestHash', r.request_hash,
                'category', r.category, 'team', r.team, 'operation', r.operation, 'labels', r.labels,
                'estimateUsd', r.estimate_usd, 'actualUsd', r.actual_usd, 'status', r.status,
                'createdAt', budget.iso_utc(r.created_at), 'expiresAt', budget.iso_utc(r.expires_at),
                'settledAt', budget.iso_utc(r.settled_at), 'late', r.late, 'holds', holds_json[k])::text;
        END IF;
        settling[k] := r;
    END LOOP;
    IF true = ANY (changed) THEN
        WITH settled AS (
            UPDATE budget.reservation x
               SET status = v.status, actual_usd = v.actual_usd, settled_at = v.settled_at, late = v.late
              FROM unnest(settling) WITH ORDINALITY AS v
             WHERE changed[v.ordinality] AND x.id = v.id)
        INSERT INTO budget.spend (reservation_id, occurred_at, amount_usd, estimate_usd, overrun_usd,
                                  category, team, operation, labels, budget_ids, kind)
        SELECT v.reservation_id, v.occurred_at, v.amount_usd, v.estimate_usd, v.overrun_usd,
               v.category, v.team, v.operation, v.labels, v.budget_ids, v.kind
          FROM unnest(spends) AS v;
    END IF;

    -- Idempotency: keys stored by earlier transactions, and repeats within this batch. A key
    -- committed by a concurrent transaction after this look-up makes the insert below raise BW001.
    IF cardinality(r_keys) > 0 THEN
        SELECT (SELECT coalesce(array_agg(x), '{}') FROM budget.reservation x WHERE x.idempotency_key = ANY (r_keys)),
               (SELECT array_agg(f ORDER BY o)
                  FROM (SELECT o, (min(o) OVER (PARTITION BY idem))::int AS f
                          FROM unnest(r_keys) WITH ORDINALITY AS u(idem, o)) AS v)
          INTO earlier, first_of;
    ELSE
        earlier := '{}';
    END IF;
    decided := array_fill(NULL::text, ARRAY[coalesce(cardinality(r_keys), 0)]);

    -- From here to the commit, the period rows are locked. A period nobody touched yet has no row:
    -- create it (its counters start at zero) and lock again.
    FOR attempt IN 1..2 LOOP
        WITH l AS MATERIALIZED (
            SELECT x FROM budget.budget_period x
             WHERE (x.budget_id, x.period_start) IN (
                       SELECT (live[g]).id, starts[g] FROM generate_subscripts(live, 1) AS g WHERE wanted[g]
                       UNION
                       SELECT y.budget_id, y.period_start FROM unnest(held_by) AS y
                       UNION
                       SELECT * FROM unnest(late_ids, late_starts))
             ORDER BY x.budget_id, x.period_start
               FOR UPDATE OF x)
        SELECT coalesce(array_agg(l.x ORDER BY (l.x).budget_id, (l.x).period_start), '{}') INTO locked FROM l;
        missing := false;
        FOR g IN 1..cardinality(live) LOOP
            IF wanted[g] THEN
                b_period[g] := NULL;
                FOR q IN 1..cardinality(locked) LOOP
                    IF (locked[q]).budget_id = (live[g]).id AND (locked[q]).period_start = starts[g] THEN
                        b_period[g] := q;
                        EXIT;
                    END IF;
                END LOOP;
                missing := missing OR b_period[g] IS NULL;
            END IF;
        END LOOP;
        FOR e IN 1..cardinality(late_ids) LOOP
            missing := missing OR NOT EXISTS (
                SELECT FROM unnest(locked) AS y WHERE y.budget_id = late_ids[e] AND y.period_start = late_starts[e]);
        END LOOP;
        EXIT WHEN NOT missing;
        IF attempt = 2 THEN
            RAISE EXCEPTION 'budget period rows missing after creating them';
        END IF;
        INSERT INTO budget.budget_period (budget_id, period_start, period_end)
        SELECT (live[g]).id, starts[g], budget.period_end((live[g]).period, (live[g]).time_zone, starts[g])
          FROM generate_subscripts(live, 1) AS g
         WHERE wanted[g] AND b_period[g] IS NULL
         UNION
        SELECT * FROM unnest(late_ids, late_starts, late_ends)
         ORDER BY 1, 2
            ON CONFLICT DO NOTHING;
    END LOOP;
    dirty := array_fill(false, ARRAY[cardinality(locked)]);
    hold_period := array_fill(NULL::int, ARRAY[cardinality(held_by)]);
    FOR x IN 1..cardinality(held_by) LOOP
        FOR q IN 1..cardinality(locked) LOOP
            IF (locked[q]).budget_id = (held_by[x]).budget_id AND (locked[q]).period_start = (held_by[x]).period_start THEN
                hold_period[x] := q;
                EXIT;
            END IF;
        END LOOP;
    END LOOP;

    FOR i IN 1..n_ops LOOP
        IF op_kinds[i] NOT IN ('reserve', 'ungated') THEN
            -- A settlement decided above: move its holds.
            IF effect[i] IN ('late', 'release-late') THEN
                -- Spend in the periods at_time of the budgets held, counted as an overrun.
                FOR x IN 1..cardinality(held_by) LOOP
                    CONTINUE WHEN (held_by[x]).reservation_id <> (settling[effect_res[i]]).id;
                    IF effect[i] = 'release-late' THEN
                        p := hold_period[x];
                        locked[p].held_usd := (locked[p]).held_usd - (held_by[x]).amount_usd;
                        dirty[p] := true;
                    END IF;
                    FOR e IN 1..cardinality(late_ids) LOOP
                        CONTINUE WHEN late_ids[e] <> (held_by[x]).budget_id;
                        FOR q IN 1..cardinality(locked) LOOP
                            IF (locked[q]).budget_id = late_ids[e] AND (locked[q]).period_start = late_starts[e] THEN
                                locked[q].spent_usd := (locked[q]).spent_usd + effect_amt[i];
                                locked[q].overrun_usd := (locked[q]).overrun_usd + effect_amt[i];
                                locked[q].overruns := (locked[q]).overruns + 1;
                                dirty[q] := true;
                                EXIT;
                            END IF;
                        END LOOP;
                        EXIT;
                    END LOOP;
                END LOOP;
            ELSIF effect[i] IS NOT NULL THEN
                ov := NULL;
                FOR x IN 1..cardinality(held_by) LOOP
                    IF (held_by[x]).reservation_id = (settling[effect_res[i]]).id THEN
                        p := hold_period[x];
                        locked[p].held_usd := (locked[p]).held_usd - (held_by[x]).amount_usd;
                        IF effect[i] = 'commit' THEN
                            ov := greatest(effect_amt[i] - (settling[effect_res[i]]).estimate_usd, 0);
                            locked[p].spent_usd := (locked[p]).spent_usd + effect_amt[i];
                            IF ov > 0 THEN
                                locked[p].overrun_usd := (locked[p]).overrun_usd + ov;
                                locked[p].overruns := (locked[p]).overruns + 1;
                            END IF;
                        END IF;
                        dirty[p] := true;
                    END IF;
                END LOOP;
            END IF;
            CONTINUE;
        END IF;

        ri := ri + 1;
        k := NULL;
        FOR x IN 1..cardinality(earlier) LOOP
            IF (earlier[x]).idempotency_key = r_keys[ri] THEN
                k := x;
                EXIT;
            END IF;
        END LOOP;
        IF k IS NOT NULL THEN
            -- Stored by an earlier transaction.
            IF (earlier[k]).request_hash = r_hashes[ri] THEN
                outs[i] := 'decision'; replays[i] := true; bodies[i] := budget.decision_answer(earlier[k])::text;
            ELSE
                outs[i] := 'key-reused';
            END IF;
            CONTINUE;
        END IF;
        IF first_of[ri] <> ri THEN
            -- Decided earlier in this batch.
            IF r_hashes[first_of[ri]] = r_hashes[ri] THEN
                outs[i] := 'decision'; replays[i] := true; bodies[i] := decided[first_of[ri]];
            ELSE
                outs[i] := 'key-reused';
            END IF;
            CONTINUE;
        END IF;

        matching := '{}';
        granted := true;
        FOR g IN 1..cardinality(live) LOOP
            IF keys[ri] @> (live[g]).scope THEN
                matching := matching || g;
                p := b_period[g];
                IF granted AND op_kinds[i] = 'reserve' AND (live[g]).mode = 'enforce'
                   AND (locked[p]).spent_usd + (locked[p]).held_usd + r_estimate[ri] > (live[g]).limit_usd THEN
                    granted := false;
                    j := g;
                END IF;
            END IF;
        END LOOP;
        IF op_kinds[i] = 'ungated' THEN
            -- Spend that already happened: counted, never refused.
            FOREACH b IN ARRAY matching LOOP
                p := b_period[b];
                locked[p].spent_usd := (locked[p]).spent_usd + r_estimate[ri];
                dirty[p] := true;
            END LOOP;
        ELSIF granted THEN
            FOREACH b IN ARRAY matching LOOP
                p := b_period[b];
                locked[p].held_usd := (locked[p]).held_usd + r_estimate[ri];
                dirty[p] := true;
                h.reservation_id := r_ids[ri];
                h.budget_id := (live[b]).id;
                h.period_start := starts[b];
                h.amount_usd := r_estimate[ri];
                new_holds := new_holds || h;
            END LOOP;
        END IF;
        states := '[]';
        soft := false;
        denied_by := NULL;
        FOREACH b IN ARRAY matching LOOP
            p := b_period[b];
            used := (locked[p]).spent_usd + (locked[p]).held_usd;
            state := jsonb_build_object(
                'budgetId', (live[b]).id, 'name', (live[b]).name, 'mode', (live[b]).mode,
                'limitUsd', (live[b]).limit_usd, 'spentUsd', (locked[p]).spent_usd,
                'heldUsd', (locked[p]).held_usd, 'remainingUsd', (live[b]).limit_usd - used,
                'softLimitCrossed', used >= round((live[b]).limit_usd * (live[b]).soft_ratio, 6));
            states := states || jsonb_build_array(state);
            soft := soft OR used >= round((live[b]).limit_usd * (live[b]).soft_ratio, 6);
            IF NOT granted AND b = j THEN
                denied_by := state;
            END IF;
        END LOOP;

        r.id := r_ids[ri];
        r.idempotency_key := r_keys[ri];
        r.request_hash := r_hashes[ri];
        r.category := r_category[ri];
        r.team := r_team[ri];
        r.operation := r_op[ri];
        r.labels := r_labels[ri]::jsonb;
        r.estimate_usd := r_estimate[ri];
        r.actual_usd := NULL;
        r.status := CASE WHEN granted THEN 'held' ELSE 'denied' END;
        r.created_at := at_time;
        r.expires_at := CASE WHEN granted THEN at_time + r_ttl_ms[ri] * interval '1 millisecond' ELSE at_time END;
        r.settled_at := NULL;
        r.late := false;
        IF op_kinds[i] = 'ungated' THEN
            -- Kept as a committed reservation for its idempotency key; its ledger entry says ungated.
            r.actual_usd := r_estimate[ri];
            r.status := 'committed';
            r.expires_at := at_time;
            r.settled_at := at_time;
            r.decision := jsonb_build_object(
                'id', r.id, 'amountUsd', r.actual_usd,
                'occurredAt', budget.iso_utc(at_time), 'budgets', states);
            u.reservation_id := r.id;
            u.occurred_at := at_time;
            u.amount_usd := r.actual_usd;
            u.estimate_usd := 0;
            u.overrun_usd := 0;
            u.category := r.category;
            u.team := r.team;
            u.operation := r.operation;
            u.labels := r.labels;
            u.kind := 'ungated';
            u.budget_ids := '{}';
            FOREACH b IN ARRAY matching LOOP
                u.budget_ids := u.budget_ids || (live[b]).id;
            END LOOP;
            ungated := ungated || u;
        ELSIF denied_by IS NOT NULL THEN
            -- A denial stores its compact form; decision_answer expands it, here and on replay.
            r.decision := jsonb_build_object('s', soft, 'd', denied_by);
        ELSE
            r.decision := jsonb_build_object(
                'reservationId', r.id, 'granted', granted, 'status', r.status,
                'estimateUsd', r.estimate_usd, 'createdAt', budget.iso_utc(r.created_at),
                'expiresAt', budget.iso_utc(r.expires_at), 'softLimitCrossed', soft, 'budgets', states);
        END IF;
        fresh := fresh || r;
        decided[ri] := budget.decision_answer(r)::text;
        outs[i] := 'decision';
        bodies[i] := decided[ri];
    END LOOP;

    -- One statement writes the counters, the reservations (in key order, so two transactions
    -- racing on the same keys cannot deadlock) and their holds.
    WITH counters AS (
        UPDATE budget.budget_period x
           SET spent_usd = v.spent_usd, held_usd = v.held_usd, overrun_usd = v.overrun_usd, overruns = v.overruns
          FROM unnest(locked) WITH ORDINALITY AS v
         WHERE dirty[v.ordinality] AND x.budget_id = v.budget_id AND x.period_start = v.period_start),
    added AS (
        INSERT INTO budget.reservation
        SELECT * FROM unnest(fresh) ORDER BY idempotency_key
            ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id),
    holds AS (
        INSERT INTO budget.reservation_hold
        SELECT v.* FROM unnest(new_holds) AS v WHERE v.reservation_id IN (SELECT id FROM added)),
    ledger AS (
        INSERT INTO budget.spend (reservation_id, occurred_at, amount_usd, estimate_usd, overrun_usd,
                                  category, team, operation, labels, budget_ids, kind)
        SELECT v.reservation_id, v.occurred_at, v.amount_usd, v.estimate_usd, v.overrun_usd,
               v.category, v.team, v.operation, v.labels, v.budget_ids, v.kind
          FROM unnest(ungated) AS v WHERE v.reservation_id IN (SELECT id FROM added))
    SELECT count(*) INTO inserted FROM added;
    IF inserted <> cardinality(fresh) THEN
        RAISE EXCEPTION 'idempotency key taken by a concurrent transaction' USING ERRCODE = 'BW001';
    END IF;

    RETURN QUERY SELECT v.o, v.rp, v.bd FROM unnest(outs, replays, bodies) WITH ORDINALITY AS v(o, rp, bd, n) ORDER BY v.n;
END
$$;
