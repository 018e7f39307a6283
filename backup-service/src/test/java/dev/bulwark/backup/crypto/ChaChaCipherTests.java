package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The payload cipher: BoringSSL's where it loads, checked against RFC 8439's published vector. */
class ChaChaCipherTests {

  private static final HexFormat HEX = HexFormat.of();

  // RFC 8439 section 2.8.2: the AEAD_CHACHA20_POLY1305 example.
  private static final byte[] KEY =
      HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  private static final byte[] NONCE = HEX.parseHex("070000004041424344454647");
  private static final byte[] AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
  private static final byte[] PLAINTEXT =
      ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
              + " future, sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  private static final String SEALED =
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69"
          + "da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675"
          + "945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
          + "1ae10b594f09e26a7e902ecbd0600691";

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void payloadsAreSealedWithBoringSslWhereItsLibraryLoads() {
    assertThat(AgeCrypto.chachaProvider()).isEqualTo("Conscrypt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Conscrypt", "JDK"})
  void sealsAndOpensTheRfcVector(String which) throws Exception {
    Cipher cipher = cipher(which, Cipher.ENCRYPT_MODE);
    cipher.updateAAD(AAD);
    assertThat(HEX.formatHex(cipher.doFinal(PLAINTEXT))).isEqualTo(SEALED);

    cipher = cipher(which, Cipher.DECRYPT_MODE);
    cipher.updateAAD(AAD);
    assertThat(cipher.doFinal(HEX.parseHex(SEALED))).isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Conscrypt", "JDK"})
  void refusesAFlippedBit(String which) throws Exception {
    byte[] sealed = HEX.parseHex(SEALED);
    sealed[7] ^= 1;
    Cipher cipher = cipher(which, Cipher.DECRYPT_MODE);
    cipher.updateAAD(AAD);
    assertThatThrownBy(() -> cipher.doFinal(sealed)).isInstanceOf(AEADBadTagException.class);
  }

  private static Cipher cipher(String which, int mode) throws Exception {
    Provider conscrypt = Conscrypt.newProvider();
    Cipher cipher =
        which.equals("Conscrypt")
            ? Cipher.getInstance("ChaCha20/Poly1305/NoPadding", conscrypt)
            : Cipher.getInstance("ChaCha20-Poly1305");
    assertThat(cipher.getProvider().getName()).isEqualTo(which.equals("JDK") ? "SunJCE" : which);
    cipher.init(mode, new SecretKeySpec(KEY, "ChaCha20"), new IvParameterSpec(NONCE));
    return cipher;
  }
}
