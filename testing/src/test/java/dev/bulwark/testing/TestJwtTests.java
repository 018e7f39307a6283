package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TestJwtTests {

  @Test
  void tokenCarriesRolesInGroupsAndIsSignedWithRs256() throws Exception {
    String[] parts = TestJwt.token("operator").split("\\.");

    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);

    assertThat(header).contains("\"alg\":\"RS256\"");
    assertThat(claims).contains("\"groups\":[\"operator\"]").contains("\"iss\":\"bulwark\"");
    assertThat(Files.readString(TestJwt.publicKeyPem())).startsWith("-----BEGIN PUBLIC KEY-----");
  }
}
