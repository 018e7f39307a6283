-- Raw-data archive, LLM calls (docs/api/archive.md): every call the pipeline made, kept for the
-- retention (400 days by default) in monthly partitions, so that expiry drops whole partitions.
CREATE TABLE backup.llm_calls (
  id             text          NOT NULL,
  started_at     timestamptz   NOT NULL,
  provider       text          NOT NULL,
  model          text          NOT NULL,
  -- Exactly one of prompt (plain text) and messages (a chat: [{role, content}]).
  prompt         text,
  messages       jsonb,
  completion     text,
  input_tokens   bigint        NOT NULL,
  output_tokens  bigint        NOT NULL,
  cost_usd       numeric(20,6) NOT NULL,
  latency_ms     bigint        NOT NULL,
  status         text          NOT NULL,
  lead_id        text,
  step           text,
  reservation_id text,
  -- UTF-8 bytes of prompt, messages and completion as received: the raw size the metrics sum.
  raw_bytes      bigint        NOT NULL,
  stored_at      timestamptz   NOT NULL,
  CHECK ((prompt IS NULL) <> (messages IS NULL)),
  -- A partitioned table's primary key must hold the partition key; llm_call_id keeps ids unique.
  PRIMARY KEY (started_at, id)
) PARTITION BY RANGE (started_at);

CREATE INDEX llm_calls_model ON backup.llm_calls (model, started_at, id);
CREATE INDEX llm_calls_lead ON backup.llm_calls (lead_id, started_at, id) WHERE lead_id IS NOT NULL;
CREATE INDEX llm_calls_step ON backup.llm_calls (step, started_at, id) WHERE step IS NOT NULL;

-- The idempotency key: one row per call id across all partitions, with a digest of the content so
-- that a retry (same content) is told from a clash (another call under a used id).
CREATE TABLE backup.llm_call_id (
  id         text        PRIMARY KEY,
  started_at timestamptz NOT NULL,
  digest     text        NOT NULL
);
CREATE INDEX llm_call_id_started ON backup.llm_call_id (started_at);

-- Rows and raw bytes per month, kept by ingest and retention in their transactions, so that the
-- gauges never scan the archive.
CREATE TABLE backup.llm_call_month (
  month     timestamptz PRIMARY KEY,
  rows      bigint      NOT NULL,
  raw_bytes bigint      NOT NULL
);

-- Large text in lz4 where the server was built with it (PG 14+ --with-lz4), else the default pglz.
DO $$
BEGIN
  ALTER TABLE backup.llm_calls ALTER COLUMN prompt SET COMPRESSION lz4;
  ALTER TABLE backup.llm_calls ALTER COLUMN messages SET COMPRESSION lz4;
  ALTER TABLE backup.llm_calls ALTER COLUMN completion SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 compression not available, keeping the default TOAST compression';
END
$$;
