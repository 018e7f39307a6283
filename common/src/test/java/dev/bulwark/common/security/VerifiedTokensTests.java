package dev.bulwark.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testing.TestJwt;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedTokensTests {

  private final CountingVerifier verifier = new CountingVerifier();
  private final MovableClock clock = new MovableClock();
  private final JWTAuthContextInfo context = context();
  private final VerifiedTokens tokens = new VerifiedTokens(verifier, clock, 3);

  @Test
  void aTokenIsVerifiedOnceAndItsPrincipalReused() throws ParseException {
    String token = TestJwt.token("pipeline");

    JWTCallerPrincipal first = tokens.parse(token, context);
    JWTCallerPrincipal again = tokens.parse(token, context);

    assertThat(again).isSameAs(first);
    assertThat(again.getGroups()).containsExactly("pipeline");
    assertThat(verifier.calls).hasValue(1);
  }

  @Test
  void onlyTheIdenticalTokenIsServedFromTheCache() throws ParseException {
    String token = TestJwt.token("operator");
    tokens.parse(token, context);

    String[] parts = token.split("\\.");
    char last = parts[2].charAt(parts[2].length() - 2);
    String tampered =
        parts[0]
            + "."
            + parts[1]
            + "."
            + parts[2].substring(0, parts[2].length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + parts[2].charAt(parts[2].length() - 1);
    assertThatThrownBy(() -> tokens.parse(tampered, context)).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> tokens.parse(TestJwt.foreignToken("operator"), context))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> tokens.parse(TestJwt.expiredToken("operator"), context))
        .isInstanceOf(ParseException.class);
    assertThat(verifier.calls).hasValue(4);
    assertThat(tokens.size()).isEqualTo(1);
  }

  @Test
  void aTokenIsVerifiedAgainOnceItExpiresOrItsEntryIsTooOld() throws ParseException {
    String token = TestJwt.token("viewer");
    JWTCallerPrincipal principal = tokens.parse(token, context);

    clock.advance(VerifiedTokens.MAX_AGE.minusSeconds(1));
    tokens.parse(token, context);
    assertThat(verifier.calls).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    tokens.parse(token, context);
    assertThat(verifier.calls).as("re-verified after the maximum age").hasValue(2);

    clock.set(Instant.ofEpochSecond(principal.getExpirationTime()));
    tokens.parse(token, context);
    assertThat(verifier.calls).as("re-verified at expiry").hasValue(3);
  }

  @Test
  void aTokenIsVerifiedAfreshUnderOtherSettings() throws ParseException {
    String token = TestJwt.token("pipeline");
    tokens.parse(token, context);

    JWTAuthContextInfo otherIssuer = context();
    otherIssuer.setIssuedBy("someone-else");
    assertThatThrownBy(() -> tokens.parse(token, otherIssuer)).isInstanceOf(ParseException.class);
    assertThat(verifier.calls).hasValue(2);

    tokens.parse(token, context);
    assertThat(verifier.calls).hasValue(2);
  }

  @Test
  void theCacheStaysBounded() throws ParseException {
    for (int i = 0; i < 7; i++) {
      tokens.parse(TestJwt.token("pipeline"), context);
      assertThat(tokens.size()).isLessThanOrEqualTo(3);
    }
    assertThat(verifier.calls).hasValue(7);
  }

  private static JWTAuthContextInfo context() {
    JWTAuthContextInfo info = new JWTAuthContextInfo();
    info.setPublicKeyContent(TestJwt.publicKeyBase64());
    info.setIssuedBy(TestJwt.ISSUER);
    info.setGroupsPath("groups");
    return info;
  }

  private static final class CountingVerifier extends JWTCallerPrincipalFactory {
    final AtomicInteger calls = new AtomicInteger();
    final DefaultJWTCallerPrincipalFactory real = new DefaultJWTCallerPrincipalFactory();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context)
        throws ParseException {
      calls.incrementAndGet();
      return real.parse(token, context);
    }
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
