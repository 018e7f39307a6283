package dev.bulwark.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives a Quarkus application under test its own PostgreSQL cluster (and a streaming standby when
 * the init argument {@code standby=true}), plus the public key that {@link TestJwt} signs with.
 * Tests reach the cluster through a field annotated {@link InjectPostgres}.
 */
public final class PostgresResource implements QuarkusTestResourceLifecycleManager {

  private PostgresCluster cluster;
  private String name = "app";
  private boolean standby;

  @Override
  public void init(Map<String, String> initArgs) {
    name = initArgs.getOrDefault("name", name);
    standby = Boolean.parseBoolean(initArgs.getOrDefault("standby", "false"));
  }

  @Override
  public Map<String, String> start() {
    cluster = PostgresCluster.start(name);
    if (standby) {
      cluster.addStandby();
    }
    PostgresNode primary = cluster.primary();
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.datasource.username", primary.user());
    config.put("quarkus.datasource.password", "");
    config.put("quarkus.datasource.jdbc.url", primary.jdbcUrl("postgres"));
    config.put("quarkus.datasource.reactive.url", primary.reactiveUrl("postgres"));
    // The key itself, not its location: in test mode smallrye-jwt otherwise installs a key pair of
    // its own, which takes precedence over a location.
    config.put("mp.jwt.verify.publickey", TestJwt.publicKeyBase64());
    config.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
    return config;
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        cluster,
        new TestInjector.AnnotatedAndMatchesType(InjectPostgres.class, PostgresCluster.class));
  }

  @Override
  public void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
