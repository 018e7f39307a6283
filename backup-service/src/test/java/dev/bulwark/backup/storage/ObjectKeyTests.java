package dev.bulwark.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dumps/2026-12-01T06:36:07Z/pipeline.dump",
        "wal/000000010000000000000001",
        "a",
        "archive/html/host=example.com/page,1+2@x.html"
      })
  void acceptsKeysOfSafeSegments(String key) {
    assertThat(ObjectKey.of(key).value()).isEqualTo(key);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|it is empty",
        "/etc/passwd|starts with '/'",
        "a//b|empty segment",
        "a/|empty segment",
        "../secrets|a '..' segment",
        "dumps/../../x|a '..' segment",
        "a/./b|a '.' segment",
        "with space|character other than",
        "temp~name|character other than",
        "back\\slash|character other than",
        "ünïcode|character other than"
      })
  void rejectsKeysThatCouldEscapeOrNeedEscaping(String key, String problem) {
    assertThatThrownBy(() -> ObjectKey.of(key))
        .isInstanceOf(InvalidObjectKey.class)
        .hasMessageContaining("is not a valid object key")
        .hasMessageContaining(problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "dumps/", "dumps/2026-"})
  void acceptsListingPrefixes(String prefix) {
    assertThat(ObjectKey.validPrefix(prefix)).isEqualTo(prefix);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dumps", "../", "a//"})
  void rejectsListingPrefixesNoKeyCouldStartWith(String prefix) {
    assertThatThrownBy(() -> ObjectKey.validPrefix(prefix)).isInstanceOf(InvalidObjectKey.class);
  }

  @org.junit.jupiter.api.Test
  void rejectsAKeyLongerThanS3Allows() {
    assertThatThrownBy(() -> ObjectKey.of("k".repeat(ObjectKey.MAX_LENGTH + 1)))
        .isInstanceOf(InvalidObjectKey.class)
        .hasMessageContaining("longer than 1024");
  }
}
