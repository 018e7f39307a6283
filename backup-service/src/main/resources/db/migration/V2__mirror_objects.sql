-- Bucket mirroring (docs/api/backup.md): what each mirror copied, as the source showed it, so that
-- the next run copies only new and changed objects and a run killed midway resumes.
CREATE TABLE backup.mirror_object (
  mirror        text        NOT NULL,
  key           text        NOT NULL,
  size          bigint      NOT NULL,
  etag          text,       -- null where the source has none (file://): last_modified decides
  last_modified timestamptz NOT NULL,
  copied_at     timestamptz NOT NULL,
  PRIMARY KEY (mirror, key)
);

-- The last run of each mirror, read by every replica for the schedule and the gauges.
CREATE TABLE backup.mirror_run (
  mirror          text        PRIMARY KEY,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL,
  last_success_at timestamptz,
  failed_objects  bigint      NOT NULL,
  pending_objects bigint      -- null: the run failed before it knew
);
