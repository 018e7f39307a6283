package dev.bulwark.failover.groups;

import static org.awaitility.Awaitility.await;

import dev.bulwark.testing.PostgresNode;
import java.time.Duration;

/** A table with one row written on the primary and replayed by the standby before a fault. */
final class OrdersTable {

  private OrdersTable() {}

  static void replicated(PostgresNode primary, PostgresNode standby) {
    primary.execute("CREATE TABLE orders (id int PRIMARY KEY)");
    primary.execute("INSERT INTO orders VALUES (1)");
    await("the standby replays the write")
        .atMost(Duration.ofSeconds(30))
        .until(() -> "1".equals(standby.queryValue("SELECT count(*) FROM orders")));
  }
}
