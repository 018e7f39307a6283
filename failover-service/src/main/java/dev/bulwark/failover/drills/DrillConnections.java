package dev.bulwark.failover.drills;

import dev.bulwark.failover.config.FailoverConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections of a drill to the members of one postgres group, with short timeouts. */
final class DrillConnections {

  static final String APPLICATION_NAME = "bulwark-failover-drill";

  private final FailoverConfig.Group config;

  DrillConnections(FailoverConfig.Group config) {
    this.config = config;
  }

  Connection open(String member) throws SQLException {
    String url = config.members().get(member).url();
    Properties properties = new Properties();
    properties.setProperty("user", config.username());
    config.password().ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("connectTimeout", "1");
    properties.setProperty("socketTimeout", "5");
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    return DriverManager.getConnection(url.startsWith("jdbc:") ? url : "jdbc:" + url, properties);
  }
}
