-- Spend that is never lost. A commit that arrives after its hold expired is recorded all the same
-- (late), and spend that had no reservation at all can be recorded (ungated); the ledger says which.
ALTER TABLE spend
    ADD COLUMN kind text NOT NULL DEFAULT 'reserved' CHECK (kind IN ('reserved', 'late', 'ungated'));

-- A reservation committed after its hold expired (its spend counted in the commit's periods).
ALTER TABLE reservation
    ADD COLUMN late boolean NOT NULL DEFAULT false;
