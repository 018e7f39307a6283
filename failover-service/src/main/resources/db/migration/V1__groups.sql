-- failover-service's decisive state: one row per group, changed only by compare-and-swap on epoch.
CREATE TABLE failover_group (
  group_name          text PRIMARY KEY,
  epoch               bigint NOT NULL DEFAULT 0,
  primary_member      text NOT NULL,
  paused              boolean NOT NULL DEFAULT false,
  -- A failover in progress: the candidate it promotes (the epoch is already taken). A restarted
  -- service finishes it with the same candidate.
  intent_member       text,
  intent_from         text,
  intent_failures     integer,
  intent_lag_bytes    bigint,
  intent_detected_at  timestamptz,
  last_failover_at    timestamptz,
  updated_at          timestamptz NOT NULL
);

CREATE TABLE failover_event (
  id                   bigserial PRIMARY KEY,
  group_name           text NOT NULL,
  at                   timestamptz NOT NULL,
  kind                 text NOT NULL,
  epoch                bigint NOT NULL,
  old_primary          text,
  new_primary          text,
  consecutive_failures integer,
  lag_bytes            bigint,
  detail               text NOT NULL
);

-- The events listing: newest first per group, by keyset on id.
CREATE INDEX failover_event_group_id ON failover_event (group_name, id DESC);
