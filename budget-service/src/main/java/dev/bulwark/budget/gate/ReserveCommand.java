package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A request to hold {@code estimateUsd} for an operation with these keys, for {@code ttl}. */
public record ReserveCommand(
    String idempotencyKey,
    String category,
    String team,
    String operation,
    Map<String, String> labels,
    BigDecimal estimateUsd,
    Duration ttl)
    implements GateCommand {

  /** The keys a budget scope matches: labels plus category, team and operation. */
  public Map<String, String> keys() {
    Map<String, String> keys = new TreeMap<>(labels);
    putIfPresent(keys, "category", category);
    putIfPresent(keys, "team", team);
    putIfPresent(keys, "operation", operation);
    return keys;
  }

  /** A digest of everything but the idempotency key: a replay must carry the same body. */
  public String requestHash() {
    String canonical =
        String.join(
            "\u0000",
            String.valueOf(category),
            String.valueOf(team),
            String.valueOf(operation),
            new TreeMap<>(labels).toString(),
            estimateUsd.stripTrailingZeros().toPlainString(),
            Long.toString(ttl.toMillis()));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putIfPresent(Map<String, String> keys, String key, String value) {
    if (value != null) {
      keys.put(key, value);
    }
  }
}
