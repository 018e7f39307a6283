package dev.bulwark.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorded scrapes and the names read from the code agree: every Bulwark series a running
 * service exported is one its code (or common's) registers under that name, so the code's names are
 * the names Prometheus sees.
 */
class RecordedScrapesTests {

  private final RecordedScrapes recorded = RecordedScrapes.load();
  private final ExportedMetrics exported = ExportedMetrics.fromSources(RepositoryLayout.root());

  @Test
  void everyBulwarkSeriesAServiceExportedIsRegisteredInItsCode() {
    for (String service : ExportedMetrics.SERVICES) {
      List<String> bulwark =
          recorded.namesByService().get(service).stream()
              .filter(n -> n.startsWith("bulwark_"))
              .toList();
      assertThat(bulwark).as("bulwark_ series in the scrape of %s", service).isNotEmpty();
      assertThat(bulwark)
          .as("series %s exported that its code does not register", service)
          .allMatch(n -> exported.exports(service, n));
    }
  }

  @Test
  void sampleNamesAreReadWithoutLabelsAndComments() {
    assertThat(
            RecordedScrapes.sampleNames(
                """
                # HELP bulwark_leads Leads created in the trailing window
                # TYPE bulwark_leads gauge
                bulwark_leads{window="24h"} 3.0
                jvm_threads_live_threads 12.0
                """))
        .containsExactly("bulwark_leads", "jvm_threads_live_threads");
  }
}
