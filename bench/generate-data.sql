-- The benchmarks' generated database of about :size_mb MiB whose data compresses like real data,
-- not like pgbench's filler (bench/backup-dump, bench/pitr): run by psql with -v size_mb=N into an
-- empty database. With wal_level minimal, tables created in their loading transaction write no WAL.
\set ON_ERROR_STOP on
-- Shares of size_mb (text 45%, JSON 25%, numbers 22%, large values 8%) over the bytes one row takes
-- on disk with its tuple header, line pointer and primary key entry, measured on PostgreSQL 15.
SELECT :size_mb::bigint * 1048576 * 45 / 100 / 1180 AS docs,
       :size_mb::bigint * 1048576 * 25 / 100 / 580 AS events,
       :size_mb::bigint * 1048576 * 22 / 100 / 115 AS measurements,
       :size_mb::bigint * 8 / 100 AS blob_mb \gset
\warn 'generating about' :size_mb 'MiB:' :docs 'text rows,' :events 'JSON documents,' :measurements 'number rows,' :blob_mb 'MiB of large values'

CREATE EXTENSION pgcrypto;
-- rand_text(n): n characters over 'eeettaaoinshr  d' (hex digits of random bytes translated), about
-- 3.3 bits per character with words of 7 letters on average: zstd -3 keeps about 0.45 of it, as of
-- real prose, where pgbench's blank-padded filler shrinks a hundredfold.
CREATE FUNCTION rand_text(n int) RETURNS text LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT left(translate(encode(gen_random_bytes((n + 1) / 2), 'hex'), '0123456789abcdef', 'eeettaaoinshr  d'), n)
$$;

BEGIN;
CREATE TABLE document (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL,
                       author int NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO document
SELECT g, rand_text(20 + (random() * 60)::int), rand_text(200 + (random() * 1600)::int),
       (random() * 100000)::int, timestamptz '2026-01-01' - random() * interval '1000 days'
  FROM generate_series(1, :docs) AS g;
COMMIT;

BEGIN;
CREATE TABLE event (id bigint PRIMARY KEY, doc jsonb NOT NULL);
INSERT INTO event
SELECT g, jsonb_build_object(
         'user', 'user-' || (random() * 1000000)::int,
         'kind', (ARRAY['click', 'view', 'purchase', 'signup', 'refund', 'search', 'share', 'login'])[1 + (random() * 7)::int],
         'at', timestamptz '2026-01-01' - random() * interval '365 days',
         'score', round((random() * 100)::numeric, 3),
         'tags', to_jsonb(string_to_array(trim(rand_text(20 + (random() * 40)::int)), ' ')),
         'attrs', jsonb_build_object('k' || (random() * 300)::int, rand_text(12),
                                     'k' || (random() * 300)::int, (random() * 1000000)::int,
                                     'flag', random() < 0.5),
         'note', rand_text(100 + (random() * 250)::int))
  FROM generate_series(1, :events) AS g;
COMMIT;

BEGIN;
CREATE TABLE measurement (id bigint PRIMARY KEY, sensor int NOT NULL, at timestamptz NOT NULL,
                          value double precision NOT NULL, amount numeric(20, 6) NOT NULL,
                          reading bigint NOT NULL, alarm boolean NOT NULL);
INSERT INTO measurement
SELECT g, (random() * 5000)::int, timestamptz '2026-01-01' - g * interval '1 second',
       random() * 1000, round((random() * 100000)::numeric, 6), (random() * 1e12)::bigint,
       random() < 0.01
  FROM generate_series(1, :measurements) AS g;
COMMIT;

BEGIN;
CREATE TABLE attachment (id int PRIMARY KEY, name text NOT NULL, data bytea NOT NULL);
-- Random bytes do not compress: EXTERNAL spares PostgreSQL the attempt.
ALTER TABLE attachment ALTER COLUMN data SET STORAGE EXTERNAL;
-- 1, 4, 7, 10, 3, 6, 9, 2, 5, 8 MiB, ... while they fit in blob_mb (at least two).
INSERT INTO attachment
SELECT i, 'attachment-' || i || '.bin', blob.data
  FROM (SELECT i, 1 + (i - 1) * 3 % 10 AS mib, sum(1 + (i - 1) * 3 % 10) OVER (ORDER BY i) AS total
          FROM generate_series(1, 1000) AS i) AS sizes,
       LATERAL (SELECT string_agg(gen_random_bytes(1024), ''::bytea) AS data
                  FROM generate_series(1, sizes.mib * 1024)) AS blob
 WHERE sizes.total <= greatest(:blob_mb, 5);
COMMIT;

VACUUM (FREEZE, ANALYZE);
CHECKPOINT;
