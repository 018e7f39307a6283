-- The PostgreSQL timeline the epoch's primary was last seen on (NULL: not seen yet in this epoch).
-- A member found out of recovery on a higher timeline was promoted after it, outside
-- failover-service (by hand), and is adopted; one on this timeline or a lower one is fenced.
ALTER TABLE failover_group ADD COLUMN primary_timeline bigint;
