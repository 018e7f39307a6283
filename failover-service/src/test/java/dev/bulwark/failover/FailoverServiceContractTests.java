package dev.bulwark.failover;

import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class FailoverServiceContractTests extends ServiceContractTests {
  @Override
  protected boolean needsDatabase() {
    return false;
  }
}
