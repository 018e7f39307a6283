package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.config.PitrConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads a group's primary from failover-service, with a timeout and retries; blocking, for the
 * receivers' own threads.
 */
@ApplicationScoped
public class FailoverPrimaries implements FailoverLookup {

  private final FailoverServiceClient client;
  private final PitrConfig.Failover config;

  public FailoverPrimaries(@RestClient FailoverServiceClient client, PitrConfig config) {
    this.client = client;
    this.config = config.failover();
  }

  @Override
  public Optional<String> primaryMember(String group) {
    String authorization = config.token().map(t -> "Bearer " + t).orElse(null);
    Duration timeout = config.timeout();
    FailoverGroup answer =
        client
            .group(group, authorization)
            .ifNoItem()
            .after(timeout)
            .failWith(
                () ->
                    new TimeoutException(
                        "failover-service did not answer within " + timeout.toMillis() + " ms"))
            // A 4xx (bad token, unknown group) will not heal by asking again.
            .onFailure(FailoverPrimaries::worthRetrying)
            .retry()
            .withBackOff(config.backoff(), config.backoff().multipliedBy(8))
            .atMost(config.retries())
            .await()
            .indefinitely();
    return Optional.ofNullable(answer.primary()).filter(p -> !p.isBlank());
  }

  private static boolean worthRetrying(Throwable failure) {
    return !(failure instanceof WebApplicationException web
        && web.getResponse().getStatus() >= 400
        && web.getResponse().getStatus() < 500);
  }
}
