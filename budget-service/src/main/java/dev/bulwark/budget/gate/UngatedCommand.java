package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend of {@code amountUsd} that had no reservation (an operation the pipeline could not gate):
 * counted in the budgets its keys match, never refused.
 */
public record UngatedCommand(
    String idempotencyKey,
    String category,
    String team,
    String operation,
    Map<String, String> labels,
    BigDecimal amountUsd)
    implements GateCommand {

  /** The keys a budget scope matches, as for a reserve. */
  public Map<String, String> keys() {
    return new ReserveCommand(idempotencyKey, category, team, operation, labels, amountUsd, null)
        .keys();
  }

  /**
   * A digest of everything but the idempotency key, marked ungated: a key first used for a reserve
   * is never taken for an ungated spend, nor the other way round.
   */
  public String requestHash() {
    String canonical =
        String.join(
            "\u0000",
            "ungated",
            String.valueOf(category),
            String.valueOf(team),
            String.valueOf(operation),
            new TreeMap<>(labels).toString(),
            amountUsd.stripTrailingZeros().toPlainString());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
