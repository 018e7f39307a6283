-- Lets a pipelined batch fail inside the transaction (so its trailing COMMIT rolls back) when a
-- concurrent transaction took one of its idempotency keys first.
CREATE FUNCTION require_all_inserted(expected bigint, inserted bigint) RETURNS bigint
    LANGUAGE plpgsql AS $$
BEGIN
    IF inserted <> expected THEN
        RAISE EXCEPTION 'idempotency key taken by a concurrent transaction' USING ERRCODE = 'BW001';
    END IF;
    RETURN inserted;
END $$;
