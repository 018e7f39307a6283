-- The raw-data archive's pages (docs/api/archive.md, Pages). Objects are content-addressed by the
-- SHA-256 of the raw HTML: many fetches (rows of pages) can share one object (a row of page_objects).
CREATE TABLE page_objects (
  sha256          text PRIMARY KEY,            -- hex of the raw HTML's SHA-256; the object's key
  raw_bytes       bigint NOT NULL,
  stored_bytes    bigint NOT NULL,             -- the zstd frame in storage
  dictionary_id   bigint,                      -- zstd dictionary id of the frame; NULL: none
  level           integer NOT NULL,            -- zstd level it was last written at
  created_at      timestamptz NOT NULL,
  recompacted_at  timestamptz
);
CREATE INDEX page_objects_to_recompact ON page_objects (created_at) WHERE recompacted_at IS NULL;
CREATE INDEX page_objects_dictionary ON page_objects (dictionary_id);

CREATE TABLE pages (
  id            uuid PRIMARY KEY,
  url           text NOT NULL,
  host          text NOT NULL,                 -- normalized: lowercase ASCII (IDN), no "www."
  fetched_at    timestamptz NOT NULL,
  http_status   integer NOT NULL,
  content_type  text,
  lead_id       text,
  sha256        text NOT NULL REFERENCES page_objects (sha256),
  stored_at     timestamptz NOT NULL,
  -- a retried POST of the same fetch is the same row
  UNIQUE (url, fetched_at)
);
CREATE INDEX pages_versions ON pages (url, fetched_at DESC, id DESC);
CREATE INDEX pages_fetched_at ON pages (fetched_at);
CREATE INDEX pages_sha256 ON pages (sha256);
CREATE INDEX pages_host ON pages (host);

-- Trained zstd dictionaries, at archive/dictionaries/<id>.dict; the newest one is used for new pages.
CREATE TABLE page_dictionaries (
  id                bigint PRIMARY KEY,        -- zstd's dictionary id, also in every frame using it
  size_bytes        integer NOT NULL,
  sample_pages      integer NOT NULL,
  plain_bytes       bigint NOT NULL,           -- held-out sample compressed without it
  dictionary_bytes  bigint NOT NULL,           -- ... and with it
  created_at        timestamptz NOT NULL
);

-- Leads under legal hold: retention keeps every archived record of theirs (pages, LLM calls).
CREATE TABLE legal_holds (
  lead_id     text PRIMARY KEY,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL
);
