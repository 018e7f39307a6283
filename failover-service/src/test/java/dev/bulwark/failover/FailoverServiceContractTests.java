package dev.bulwark.failover;

import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.ServiceContractTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The contract every service keeps; the datasource is failover-service's own store, which gates
 * readiness because without it no decision can be taken.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PipelinePairs.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KubernetesApi.class, restrictToAnnotatedClass = false)
class FailoverServiceContractTests extends ServiceContractTests {}
