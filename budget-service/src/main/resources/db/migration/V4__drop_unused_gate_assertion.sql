-- require_all_inserted (V2) lost its last caller when gate_batch (V3) began to raise BW001 itself.
--
-- The gate's functions (period_start, period_end, iso_utc, gate_batch) now live in the repeatable
-- R__gate_batch.sql, which replaces them in place with CREATE OR REPLACE. They are deliberately not
-- dropped here: Flyway commits each migration on its own, and between a DROP here and the CREATE
-- in R__ replicas still serving the old code would find no gate_batch and fail their requests.
DROP FUNCTION require_all_inserted(bigint, bigint);
