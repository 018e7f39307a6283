package dev.bulwark.backup.pitr.wal;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The requester until base backups provide one: the operator takes the base backup. */
@DefaultBean
@ApplicationScoped
public class LoggedBaseBackupRequests implements BaseBackupRequester {

  private static final Logger LOG = Logger.getLogger(LoggedBaseBackupRequests.class);

  @Override
  public void requestBaseBackup(String target, String reason) {
    LOG.errorf(
        "target %s needs a new base backup now (%s): restores cannot cross the gap until one"
            + " exists",
        target, reason);
  }
}
