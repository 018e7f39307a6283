package dev.bulwark.common.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a scheduled job on one replica at a time: the run happens only while this replica holds a
 * PostgreSQL session advisory lock named after the job. If the replica dies mid-run its connection
 * closes and PostgreSQL releases the lock, so another replica takes over at its next tick.
 */
@ApplicationScoped
public class SingleReplicaJobs {

  private static final Logger LOG = Logger.getLogger(SingleReplicaJobs.class);

  private final Pool pool;

  public SingleReplicaJobs(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code job} if no other replica is running the job of that name.
   *
   * @return whether this replica ran it ({@code false}: another holds the lock)
   */
  public Uni<Boolean> runExclusively(String jobName, Supplier<Uni<?>> job) {
    long key = lockKey(jobName);
    return pool.withConnection(
        connection ->
            tryLock(connection, key)
                .onItem()
                .transformToUni(
                    acquired -> {
                      if (!acquired) {
                        LOG.debugf("job %s skipped: another replica holds its lock", jobName);
                        return Uni.createFrom().item(false);
                      }
                      return Uni.createFrom()
                          .deferred(job)
                          .onTermination()
                          .call(() -> unlock(connection, key))
                          .replaceWith(true);
                    }));
  }

  private static Uni<Boolean> tryLock(SqlConnection connection, long key) {
    return connection
        .preparedQuery("SELECT pg_try_advisory_lock($1)")
        .execute(Tuple.of(key))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private static Uni<Void> unlock(SqlConnection connection, long key) {
    return connection
        .preparedQuery("SELECT pg_advisory_unlock($1)")
        .execute(Tuple.of(key))
        .replaceWithVoid()
        // A failed unlock means a lost connection, and PostgreSQL has released the lock with it.
        .onFailure()
        .recoverWithNull();
  }

  /** A stable 64-bit advisory lock key for a job name, the same on every replica and version. */
  public static long lockKey(String jobName) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("bulwark-job:" + jobName).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
