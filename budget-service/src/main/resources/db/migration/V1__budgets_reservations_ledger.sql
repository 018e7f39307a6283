-- Budgets: what may be spent, per scope and period.
CREATE TABLE budget (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    scope       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    period      text        NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'total')),
    time_zone   text        NOT NULL DEFAULT 'UTC',
    limit_usd   numeric(20, 6) NOT NULL CHECK (limit_usd > 0),
    soft_ratio  numeric(7, 6)  NOT NULL DEFAULT 0.8 CHECK (soft_ratio > 0 AND soft_ratio <= 1),
    mode        text        NOT NULL CHECK (mode IN ('enforce', 'observe')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);
-- Names are unique among live budgets; an archived name can be reused.
CREATE UNIQUE INDEX budget_live_name ON budget (name) WHERE archived_at IS NULL;

-- One row per budget and period: the counters the gate locks. Past rows are the history.
CREATE TABLE budget_period (
    budget_id    uuid        NOT NULL REFERENCES budget (id),
    period_start timestamptz NOT NULL,
    period_end   timestamptz,
    spent_usd    numeric(20, 6) NOT NULL DEFAULT 0,
    held_usd     numeric(20, 6) NOT NULL DEFAULT 0 CHECK (held_usd >= 0),
    overrun_usd  numeric(20, 6) NOT NULL DEFAULT 0,
    overruns     bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_id, period_start)
);

-- Every gate decision, granted or denied, keyed by the caller's idempotency key.
CREATE TABLE reservation (
    id              uuid PRIMARY KEY,
    idempotency_key text        NOT NULL UNIQUE,
    request_hash    text        NOT NULL,
    category        text,
    team            text,
    operation       text,
    labels          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    estimate_usd    numeric(20, 6) NOT NULL CHECK (estimate_usd > 0),
    actual_usd      numeric(20, 6),
    status          text        NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired', 'denied')),
    decision        jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    settled_at      timestamptz
);
CREATE INDEX reservation_held_expiry ON reservation (expires_at) WHERE status = 'held';

-- Which budget periods a granted reservation holds, and how much.
CREATE TABLE reservation_hold (
    reservation_id uuid        NOT NULL REFERENCES reservation (id),
    budget_id      uuid        NOT NULL,
    period_start   timestamptz NOT NULL,
    amount_usd     numeric(20, 6) NOT NULL,
    PRIMARY KEY (reservation_id, budget_id),
    FOREIGN KEY (budget_id, period_start) REFERENCES budget_period (budget_id, period_start)
);

-- The append-only spend ledger: one entry per commit.
CREATE TABLE spend (
    id             bigserial PRIMARY KEY,
    reservation_id uuid        NOT NULL UNIQUE REFERENCES reservation (id),
    occurred_at    timestamptz NOT NULL,
    amount_usd     numeric(20, 6) NOT NULL CHECK (amount_usd >= 0),
    estimate_usd   numeric(20, 6) NOT NULL,
    overrun_usd    numeric(20, 6) NOT NULL DEFAULT 0,
    category       text,
    team           text,
    operation      text,
    labels         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    budget_ids     uuid[]      NOT NULL
);
CREATE INDEX spend_occurred ON spend (occurred_at);

-- The ledger is append-only: refuse edits and deletes at the database.
CREATE FUNCTION spend_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'spend ledger is append-only';
END $$;
CREATE TRIGGER spend_no_update BEFORE UPDATE OR DELETE ON spend
    FOR EACH ROW EXECUTE FUNCTION spend_is_append_only();
