// Load generator for bench/budget-gate: N clients run reserve -> commit pairs against one budget
// for a fixed time and report pairs per second and pair latency percentiles. JDK only, run with
// `java bench/BudgetGateLoad.java URL TOKEN CATEGORY CLIENTS WARMUP_S MEASURE_S`.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class BudgetGateLoad {

  private static final Pattern ID = Pattern.compile("\"reservationId\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = args[1];
    String category = args[2];
    int clients = Integer.parseInt(args[3]);
    long warmupNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
    long measureNanos = Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long measureTo = measureFrom + measureNanos;
    AtomicLong errors = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    List<long[]> perClient = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] latencies = new long[2_000_000];
      long[] count = new long[1];
      perClient.add(latencies);
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= measureTo) {
                    break;
                  }
                  try {
                    String decision = post(http, base + "/api/v1/reservations", token, UUID.randomUUID().toString(),
                        "{\"category\":\"" + category + "\",\"operation\":\"bench\",\"estimateUsd\":0.01,\"ttlSeconds\":60}");
                    Matcher m = ID.matcher(decision);
                    if (!m.find() || !decision.contains("\"granted\":true")) {
                      denied.incrementAndGet();
                      continue;
                    }
                    post(http, base + "/api/v1/reservations/" + m.group(1) + "/commit", token, null, "{\"actualUsd\":0.009}");
                  } catch (Exception e) {
                    errors.incrementAndGet();
                    continue;
                  }
                  long t1 = System.nanoTime();
                  if (t0 >= measureFrom && t1 <= measureTo && n < latencies.length) {
                    latencies[n++] = t1 - t0;
                  }
                }
                latencies[latencies.length - 1] = n;
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long total = 0;
    for (long[] l : perClient) {
      total += l[l.length - 1];
    }
    long[] all = new long[(int) total];
    int i = 0;
    for (long[] l : perClient) {
      int n = (int) l[l.length - 1];
      System.arraycopy(l, 0, all, i, n);
      i += n;
    }
    Arrays.sort(all);
    double seconds = measureNanos / 1e9;
    System.out.printf(
        "pairs=%d pairs_per_s=%.1f p50_ms=%.2f p99_ms=%.2f denied=%d errors=%d%n",
        total, total / seconds, pct(all, 0.50), pct(all, 0.99), denied.get(), errors.get());
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static String post(HttpClient http, String url, String token, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(response.statusCode() + " " + response.body());
    }
    return response.body();
  }
}
