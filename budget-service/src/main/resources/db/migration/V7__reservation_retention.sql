-- Reservations (idempotency keys and replay bodies) are kept for a retention window
-- (bulwark.budget.retention.window) and then removed by the retention job. The ledger and the
-- period counters outlive them: a ledger entry keeps its reservation's id as a plain column, the
-- record of the money, which is never deleted.
ALTER TABLE spend DROP CONSTRAINT spend_reservation_id_fkey;

-- A reservation's holds go with it, in the same statement.
ALTER TABLE reservation_hold
    DROP CONSTRAINT reservation_hold_reservation_id_fkey,
    ADD CONSTRAINT reservation_hold_reservation_id_fkey
        FOREIGN KEY (reservation_id) REFERENCES reservation (id) ON DELETE CASCADE;

-- What the retention job removes, oldest first: settled and denied reservations by their last
-- activity (the settlement, else the decision). Held ones are never in it.
CREATE INDEX reservation_last_activity ON reservation ((coalesce(settled_at, created_at)))
    WHERE status <> 'held';
