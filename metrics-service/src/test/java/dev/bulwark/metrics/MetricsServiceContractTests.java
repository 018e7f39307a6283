package dev.bulwark.metrics;

import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class MetricsServiceContractTests extends ServiceContractTests {

  @Override
  protected Optional<String> databaseBackedGet() {
    return Optional.of("/api/v1/email-stats");
  }
}
