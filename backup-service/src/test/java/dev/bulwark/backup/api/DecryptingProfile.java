package dev.bulwark.backup.api;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service with a key pair made for the run, so that it can verify and restore. */
public class DecryptingProfile implements QuarkusTestProfile {

  static final AgeIdentity IDENTITY = AgeKeys.generate();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "bulwark.backup.age.recipient", IDENTITY.recipient().keyId(),
        "bulwark.backup.age.identity", IDENTITY.secretString(),
        // PITR of the target store (PitrApiTests): base backups, restores, its WAL receiver.
        "bulwark.backup.pitr.targets.store.enabled", "true");
  }
}
