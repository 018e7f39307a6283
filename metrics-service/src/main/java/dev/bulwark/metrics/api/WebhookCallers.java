package dev.bulwark.metrics.api;

import dev.bulwark.common.security.Roles;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may call a webhook: the pipeline with the suite's own bearer token, or the provider with its
 * own proof (checked by the resource). Providers cannot send our JWT.
 */
@ApplicationScoped
public class WebhookCallers {

  private final CurrentIdentityAssociation identities;

  public WebhookCallers(CurrentIdentityAssociation identities) {
    this.identities = identities;
  }

  static boolean isBearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** Verifies the bearer token (a bad one is a 401) and requires the pipeline role (403). */
  Uni<Void> requirePipeline() {
    return identities
        .getDeferredIdentity()
        .invoke(
            identity -> {
              if (identity.isAnonymous() || !identity.hasRole(Roles.PIPELINE)) {
                throw new ForbiddenException();
              }
            })
        .replaceWithVoid();
  }

  /** Whether the header carries exactly these Basic credentials; compared in constant time. */
  static boolean basicMatches(String authorization, String username, String password) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }
}
