package dev.bulwark.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.restore.BackedUpDatabase;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.S3Clients;
import dev.bulwark.backup.storage.S3Storage;
import dev.bulwark.backup.storage.StorageUrl;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.S3Server;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Verification streaming the dump from a real S3 API (S3Proxy). */
class BackupVerifierS3Tests {

  private static final String BUCKET = "backups";

  private static PostgresCluster cluster;
  private static S3Server server;
  private static S3Client s3;
  private static ObjectStorage storage;

  @BeforeAll
  static void start() {
    cluster = PostgresCluster.start("verify-s3");
    cluster.primary().createDatabase("pipeline");
    cluster.primary().execute("pipeline", BackedUpDatabase.SCHEMA);
    server = S3Server.start();
    s3 = S3Clients.of(server);
    s3.createBucket(b -> b.bucket(BUCKET));
    storage = new S3Storage(s3, new StorageUrl.S3(BUCKET, "bulwark/"), 5 << 20, 1000);
  }

  @AfterAll
  static void stop() {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBackupInS3PassesAndFailsOnceAByteOfItIsFlipped() throws Exception {
    BackedUpDatabase fixture = new BackedUpDatabase(cluster.primary(), storage);
    BackupManifest manifest = fixture.backup("pipeline");
    BackupVerifier verifier =
        new BackupVerifier(
            fixture.targets("pipeline"),
            fixture.backups("pipeline"),
            fixture.pipeline(),
            Optional.empty(),
            fixture.clock);

    BackupVerification sound = verifier.verify("pipeline", manifest.backupId());
    fixture.flipTheMiddleByte(manifest);
    BackupVerification flipped = verifier.verify("pipeline", manifest.backupId());

    assertThat(sound.passed()).as(sound.mismatches().toString()).isTrue();
    assertThat(sound.restoredRowCounts()).containsExactlyEntriesOf(manifest.rowCounts());
    assertThat(flipped.passed()).isFalse();
    assertThat(flipped.mismatches())
        .anySatisfy(m -> assertThat(m).contains("SHA-256"))
        .anySatisfy(m -> assertThat(m).contains("does not decrypt"));
    assertThat(fixture.backups("pipeline").verificationOf(manifest)).contains(flipped);
  }
}
