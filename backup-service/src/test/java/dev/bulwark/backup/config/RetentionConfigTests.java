package dev.bulwark.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RetentionConfig read and validated as Quarkus does at start-up (Bean Validation on mappings). */
class RetentionConfigTests {

  @Test
  void defaultsAreNinetyDaysNoGfsADayOfGraceHourly() {
    RetentionConfig config = read(Map.of());

    assertThat(config.days()).isEqualTo(90);
    assertThat(config.keepDaily()).isZero();
    assertThat(config.keepWeekly()).isZero();
    assertThat(config.keepMonthly()).isZero();
    assertThat(config.leftoverGrace()).isEqualTo(Duration.ofDays(1));
    assertThat(config.interval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsTheGfsCountsUnderTheirKebabCaseNames() {
    RetentionConfig config =
        read(
            Map.of(
                "bulwark.backup.retention.days", "30",
                "bulwark.backup.retention.keep-daily", "7",
                "bulwark.backup.retention.keep-weekly", "4",
                "bulwark.backup.retention.keep-monthly", "12"));

    assertThat(config.days()).isEqualTo(30);
    assertThat(config.keepDaily()).isEqualTo(7);
    assertThat(config.keepWeekly()).isEqualTo(4);
    assertThat(config.keepMonthly()).isEqualTo(12);
  }

  @Test
  void aValueOutOfRangeFailsNamingTheSetting() {
    assertThatThrownBy(() -> read(Map.of("bulwark.backup.retention.days", "0")))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageContaining("bulwark.backup.retention.days");
    assertThatThrownBy(() -> read(Map.of("bulwark.backup.retention.keep-monthly", "-1")))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageContaining("bulwark.backup.retention.keep-monthly");
  }

  private static RetentionConfig read(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(RetentionConfig.class)
        .withValidator(new BeanValidationConfigValidatorImpl())
        .withConverter(Duration.class, 100, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build()
        .getConfigMapping(RetentionConfig.class);
  }
}
