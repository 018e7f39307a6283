package dev.bulwark.common.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies each bearer token once and reuses the verified principal for the same token string, as
 * API gateways cache verified JWTs. The pipeline sends the same service token on every call, and
 * the RS256 check and claim parsing were the largest CPU item of a gate call.
 *
 * <p>Only a byte-for-byte identical token is served from the cache, so nothing unverified gets in.
 * An entry is used while the token has not expired and for at most {@link #MAX_AGE} after its
 * verification, which bounds how long a token outlives a rotated key; after that the token is
 * verified again, with the configured clock skew.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokens extends JWTCallerPrincipalFactory {

  static final Duration MAX_AGE = Duration.ofMinutes(5);
  static final int MAX_ENTRIES = 10_000;

  private record Entry(
      JWTCallerPrincipal principal, JWTAuthContextInfo context, long usableUntilMillis) {}

  private final JWTCallerPrincipalFactory verifier;
  private final Clock clock;
  private final int maxEntries;
  private final ConcurrentHashMap<String, Entry> verified = new ConcurrentHashMap<>();

  public VerifiedTokens() {
    this(new DefaultJWTCallerPrincipalFactory(), Clock.systemUTC(), MAX_ENTRIES);
  }

  VerifiedTokens(JWTCallerPrincipalFactory verifier, Clock clock, int maxEntries) {
    this.verifier = verifier;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
    long now = clock.millis();
    Entry entry = verified.get(token);
    // Verified under these very settings (issuer, key): other settings verify afresh.
    if (entry != null && entry.context() == context && now < entry.usableUntilMillis()) {
      return entry.principal();
    }
    JWTCallerPrincipal principal = verifier.parse(token, context);
    long expiresAt = principal.getExpirationTime() * 1000;
    long usableUntil = Math.min(expiresAt, now + MAX_AGE.toMillis());
    if (usableUntil > now) {
      if (verified.size() >= maxEntries) {
        verified.values().removeIf(e -> e.usableUntilMillis() <= now);
        if (verified.size() >= maxEntries) {
          verified.clear();
        }
      }
      verified.put(token, new Entry(principal, context, usableUntil));
    }
    return principal;
  }

  /** Whether this exact token is held as verified; for tests. */
  public boolean holds(String token) {
    return verified.containsKey(token);
  }

  int size() {
    return verified.size();
  }
}
