package dev.bulwark.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.LogicalBackup;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresBinaries;
import dev.bulwark.testing.PostgresNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Test fixture: the pipeline database with several tables and types on a real PostgreSQL, backed up
 * with the real LogicalBackup into a storage, and the engines that restore it.
 */
public final class BackedUpDatabase {

  /** Tables of many column types, a schema and table name that need quoting, partitions. */
  public static final String SCHEMA =
      """
      CREATE TYPE stage AS ENUM ('new', 'enriched', 'sent');
      CREATE TABLE leads (
        id int PRIMARY KEY, homepage text, enrichment jsonb, score numeric(10,4),
        html bytea, crawled_at timestamptz, tags text[], ref uuid, stage stage);
      INSERT INTO leads
        SELECT i, 'https://example.com/' || i, jsonb_build_object('rank', i, 'ok', i % 2 = 0),
               i / 7.0, decode(md5(i::text), 'hex'),
               timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute',
               ARRAY['t' || i % 5, 'u' || i % 3], md5(i::text)::uuid,
               (ARRAY['new', 'enriched', 'sent']::stage[])[1 + i % 3]
          FROM generate_series(1, 3000) i;
      CREATE SCHEMA crawl;
      CREATE TABLE crawl."Page Visits" (id bigserial PRIMARY KEY, lead int, at timestamptz);
      INSERT INTO crawl."Page Visits" (lead, at)
        SELECT i % 300, timestamptz '2026-02-01 00:00:00+00' + i * interval '1 second'
          FROM generate_series(1, 1234) i;
      CREATE TABLE outbox (id int PRIMARY KEY, body text);
      CREATE TABLE events (at date NOT NULL, kind text) PARTITION BY RANGE (at);
      CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      INSERT INTO events
        SELECT date '2025-06-01' + i, 'k' || i % 4 FROM generate_series(0, 399) i;
      CREATE VIEW sent_leads AS SELECT id FROM leads WHERE stage = 'sent';
      """;

  private static final ZstdSettings ZSTD = new ZstdSettings(3, 0);

  public final PostgresNode db;
  public final ObjectStorage storage;
  public final AgeIdentity identity = AgeKeys.generate();
  public final MutableClock clock = MutableClock.todayAtNoon();

  public BackedUpDatabase(PostgresNode db, ObjectStorage storage) {
    this.db = db;
    this.storage = storage;
  }

  /** Backs up {@code database} as target "pipeline". */
  public BackupManifest backup(String database) throws Exception {
    return new LogicalBackup(
            targets(database), storage, keyring(), binaries(Optional.empty()), clock)
        .run("pipeline");
  }

  /** Target "pipeline": {@code database} on the fixture's server. */
  public BackupTarget target(String database) {
    return new BackupTarget(
        "pipeline", db.host(), db.port(), database, Optional.of(db.user()), Optional.empty());
  }

  public BackupTargets targets(String database) {
    return new BackupTargets(Map.of("pipeline", target(database)));
  }

  public Backups backups(String database) {
    return new Backups(targets(database), storage);
  }

  /** A keyring that encrypts to and decrypts with the fixture's identity. */
  public AgeKeyring keyring() {
    return keyring(identity);
  }

  public static AgeKeyring keyring(AgeIdentity identity) {
    return new AgeKeyring(
        Optional.of(identity.recipient().keyId()), Optional.of(identity.secretString()), ZSTD);
  }

  public RestorePipeline pipeline(AgeKeyring keyring, Optional<Path> pgBin) {
    return new RestorePipeline(storage, keyring, binaries(pgBin));
  }

  public RestorePipeline pipeline() {
    return pipeline(keyring(), Optional.empty());
  }

  private static PgDumpBinary binaries(Optional<Path> pgBin) {
    return new PgDumpBinary(pgBin, Path.of("/usr/lib/postgresql"));
  }

  /** Flips every bit of the byte in the middle of the stored dump. */
  public void flipTheMiddleByte(BackupManifest manifest) throws Exception {
    ObjectKey key = ObjectKey.of(manifest.dumpKey());
    byte[] bytes;
    try (InputStream in = storage.get(key)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= (byte) 0xff;
    storage.put(key, new ByteArrayInputStream(bytes));
  }

  /** Replaces the manifest's stored text with {@code edit} applied to it. */
  public void editManifest(BackupManifest manifest, java.util.function.UnaryOperator<String> edit)
      throws Exception {
    ObjectKey key =
        ObjectKey.of("backups/" + manifest.target() + "/" + manifest.backupId() + "/manifest.json");
    String text;
    try (InputStream in = storage.get(key)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String edited = edit.apply(text);
    assertThat(edited).as("the edit changed the manifest").isNotEqualTo(text);
    storage.put(key, new ByteArrayInputStream(edited.getBytes(StandardCharsets.UTF_8)));
  }

  /** A content fingerprint of a table: the md5 of all its rows' text, in a stable order. */
  public String contentOf(String database, String schemaDotTable) {
    String[] name = schemaDotTable.split("\\.", 2);
    String table = "\"" + name[0] + "\".\"" + name[1] + "\"";
    return db.queryValue(
        database,
        "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
            + " FROM "
            + table
            + " t");
  }

  /**
   * A pg_restore that first runs {@code sql} in the database it restores into, then is the real
   * one: a restore that meets what {@code sql} made.
   */
  public Path pgRestoreRunningFirst(Path dir, String sql) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path wrapper = bin.resolve("pg_restore");
    Files.writeString(
        wrapper,
        String.format(
            "#!/bin/sh%n"
                + "for a in \"$@\"; do case \"$a\" in --dbname=*) db=\"${a#--dbname=}\";; esac;"
                + " done%n"
                + "'%s' -q -h %s -p %d -U %s -d \"$db\" -c '%s' >/dev/null || exit 9%n"
                + "exec '%s' \"$@\"%n",
            PostgresBinaries.tool("psql"),
            db.host(),
            db.port(),
            db.user(),
            sql,
            PostgresBinaries.tool("pg_restore")));
    wrapper.toFile().setExecutable(true);
    return bin;
  }
}
