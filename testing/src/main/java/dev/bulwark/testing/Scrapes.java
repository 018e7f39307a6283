package dev.bulwark.testing;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.function.Consumer;

/** Reads a service's scrape and waits for a scheduled refresh to publish a value. */
public final class Scrapes {

  private Scrapes() {}

  public static PrometheusText scrape(URL metrics) {
    return PrometheusText.parse(
        RestAssured.given().get(metrics).then().statusCode(200).extract().asString());
  }

  /** The value of one sample, or NaN when the scrape has none. */
  public static double value(URL metrics, String name, String... labels) {
    return scrape(metrics).value(name, labels).orElse(Double.NaN);
  }

  /**
   * Waits until one scrape passes all of {@code assertions}; returns that scrape. A refresh
   * publishes its gauges one after another, so a scrape may pair a new value with an old one:
   * checking every expected value on the same scrape, and retrying, waits for the whole refresh. On
   * timeout the last failed assertion is reported.
   */
  public static PrometheusText awaitAsserted(
      URL metrics, String what, Consumer<PrometheusText> assertions) {
    PrometheusText[] last = new PrometheusText[1];
    await(what)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              last[0] = scrape(metrics);
              assertions.accept(last[0]);
            });
    return last[0];
  }
}
