-- Email events are kept only as long as a provider may redeliver them (deduplication); the
-- rollups keep the counts that metrics read, so a scrape never scans raw events.
CREATE TABLE email_event (
    provider          text        NOT NULL,
    provider_event_id text        NOT NULL,
    message_id        text,
    event             text        NOT NULL CHECK (event IN ('delivered', 'bounced', 'complained', 'deferred')),
    bounce_type       text        CHECK (bounce_type IN ('hard', 'soft')),
    campaign          text        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, provider_event_id),
    CHECK ((event = 'bounced') = (bounce_type IS NOT NULL))
);
-- Pruning walks received_at in order; BRIN stays tiny for an append-mostly table.
CREATE INDEX email_event_received_at ON email_event USING brin (received_at);

-- Counts per 5-minute bucket, campaign and event: windows from 1h to 7d read at most 2016 buckets.
CREATE TABLE email_rollup (
    bucket      timestamptz NOT NULL,
    campaign    text        NOT NULL,
    event       text        NOT NULL,
    bounce_type text        NOT NULL DEFAULT '',
    events      bigint      NOT NULL CHECK (events >= 0),
    PRIMARY KEY (bucket, campaign, event, bounce_type)
);

CREATE TABLE lead (
    id          text        PRIMARY KEY,
    source      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lead_rollup (
    bucket timestamptz NOT NULL,
    source text        NOT NULL,
    leads  bigint      NOT NULL CHECK (leads >= 0),
    PRIMARY KEY (bucket, source)
);

CREATE TABLE pipeline_run (
    id          uuid        PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    status      text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    counts      jsonb       NOT NULL DEFAULT '{}',
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX pipeline_run_finished_at ON pipeline_run (finished_at);
CREATE INDEX pipeline_run_running ON pipeline_run (started_at) WHERE status = 'running';
