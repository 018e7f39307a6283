package dev.bulwark.backup.api;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The service with a key pair made for the run, so that it can verify and restore. */
public class DecryptingProfile implements QuarkusTestProfile {

  static final AgeIdentity IDENTITY = AgeKeys.generate();

  /**
   * Storage and WAL spool of this run alone: the WAL receiver archives the store cluster, which is
   * new each run, and WAL that an earlier run left would not follow on from it.
   */
  private static final Path RUN_DIR = Path.of("target", "pitr-run-" + UUID.randomUUID());

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "bulwark.backup.age.recipient", IDENTITY.recipient().keyId(),
        "bulwark.backup.age.identity", IDENTITY.secretString(),
        // PITR of the target store (PitrApiTests): base backups, restores, its WAL receiver.
        "bulwark.backup.pitr.targets.store.enabled", "true",
        "bulwark.backup.storage.url",
            RUN_DIR.resolve("storage").toAbsolutePath().toUri().toString(),
        "bulwark.backup.pitr.spool-dir", RUN_DIR.resolve("spool").toAbsolutePath().toString());
  }
}
