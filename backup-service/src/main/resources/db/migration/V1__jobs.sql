-- Background work started by the API or a schedule (backups, verifications, restores, mirror
-- runs): its state, progress and result, readable from any replica.
CREATE TABLE backup.job (
    id            uuid PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('backup', 'verification', 'restore', 'mirror')),
    -- The target (backup, verification, restore) or mirror the job works on.
    subject       text        NOT NULL,
    backup_id     text,
    -- At most one running job per key: two backups of one target never interleave.
    exclusive_key text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    trigger       text        NOT NULL CHECK (trigger IN ('api', 'schedule', 'backup')),
    attempt       int         NOT NULL DEFAULT 1,
    progress      jsonb       NOT NULL DEFAULT '{}',
    result        jsonb,
    error         text,
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    -- Renewed while the replica running it is alive; a stale one was abandoned.
    heartbeat_at  timestamptz NOT NULL
);

CREATE UNIQUE INDEX job_running_key ON backup.job (exclusive_key) WHERE state = 'running';
CREATE INDEX job_kind_created ON backup.job (kind, created_at DESC, id);
CREATE INDEX job_created ON backup.job (created_at DESC, id);
