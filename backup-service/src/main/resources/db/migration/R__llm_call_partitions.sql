-- The month partition of backup.llm_calls holding month_start (any instant of a UTC month), created
-- when missing. Its own statement, outside an ingest's transaction, because creating a partition
-- locks the parent table; a concurrent creator's duplicate is taken as success.
CREATE OR REPLACE FUNCTION backup.llm_calls_partition(month_start timestamptz)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lower_bound timestamptz := date_trunc('month', month_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  upper_bound timestamptz;
  name text;
  lz4 boolean;
BEGIN
  upper_bound := (lower_bound AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
  name := 'llm_calls_' || to_char(lower_bound AT TIME ZONE 'UTC', 'YYYY_MM');
  IF to_regclass('backup.' || name) IS NULL THEN
    BEGIN
      EXECUTE format(
        'CREATE TABLE backup.%I PARTITION OF backup.llm_calls FOR VALUES FROM (%L) TO (%L)',
        name, lower_bound, upper_bound);
      -- A partition does not take its parent's column compression: give it the parent's lz4.
      SELECT attcompression = 'l' INTO lz4 FROM pg_attribute
       WHERE attrelid = 'backup.llm_calls'::regclass AND attname = 'prompt';
      IF lz4 THEN
        EXECUTE format('ALTER TABLE backup.%I ALTER COLUMN prompt SET COMPRESSION lz4,'
          ' ALTER COLUMN messages SET COMPRESSION lz4, ALTER COLUMN completion SET COMPRESSION lz4',
          name);
      END IF;
    EXCEPTION WHEN duplicate_table THEN
      NULL;
    END;
  END IF;
  RETURN name;
END
$$;
