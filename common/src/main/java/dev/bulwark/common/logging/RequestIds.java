package dev.bulwark.common.logging;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/** The request id of the current request, kept in the logging MDC so every log line carries it. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";

  // A caller-supplied id is echoed into logs: accept only short, plain tokens.
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /** The caller's id when it is acceptable, else a fresh one. */
  public static String accept(String fromCaller) {
    return fromCaller != null && ACCEPTABLE.matcher(fromCaller).matches()
        ? fromCaller
        : UUID.randomUUID().toString();
  }

  public static String current() {
    Object id = MDC.get(MDC_KEY);
    return id == null ? null : id.toString();
  }
}
