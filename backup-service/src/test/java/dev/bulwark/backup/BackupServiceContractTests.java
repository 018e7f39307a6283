package dev.bulwark.backup;

import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RealFailoverService.class, restrictToAnnotatedClass = false)
class BackupServiceContractTests extends ServiceContractTests {}
