-- Drills (controlled switchovers and simulated primary losses) and their reports, kept for review.
CREATE TABLE drill (
  id           bigserial PRIMARY KEY,
  group_name   text NOT NULL,
  kind         text NOT NULL,
  state        text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  -- The report as JSON (DrillReport); absent while running and when the drill failed before one.
  report       jsonb,
  error        text
);

-- One drill at a time per group, across every replica of the service.
CREATE UNIQUE INDEX drill_one_running ON drill (group_name) WHERE state = 'running';

-- The drills listing: newest first per group, by keyset on id.
CREATE INDEX drill_group_id ON drill (group_name, id DESC);
