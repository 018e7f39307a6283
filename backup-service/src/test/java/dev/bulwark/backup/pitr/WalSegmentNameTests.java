package dev.bulwark.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WalSegmentNameTests {

  private static final long MIB_16 = WalSegmentName.DEFAULT_SEGMENT_SIZE;

  @Test
  void parsesAndFormatsTheThreeParts() {
    WalSegmentName name = WalSegmentName.parse("0000000200000001000000FE");

    assertThat(name).isEqualTo(new WalSegmentName(2, 1, 0xFE));
    assertThat(name.format()).isEqualTo("0000000200000001000000FE");
  }

  @Test
  void nextCrossesIntoTheNextLogAfterTheLastSegmentOfOne() {
    assertThat(WalSegmentName.parse("0000000100000000000000FE").next().format())
        .isEqualTo("0000000100000000000000FF");
    assertThat(WalSegmentName.parse("0000000100000000000000FF").next().format())
        .isEqualTo("000000010000000100000000");
  }

  @Test
  void nextFollowsTheServersSegmentSize() {
    // 1 GiB segments: four per log.
    long gib = 1024L * 1024 * 1024;
    assertThat(WalSegmentName.parse("000000010000000000000003").next(gib).format())
        .isEqualTo("000000010000000100000000");
  }

  @Test
  void findsTheSegmentOfAnLsn() {
    long lsn = WalSegmentName.parseLsn("1/FE000028");

    assertThat(WalSegmentName.ofLsn(3, lsn, MIB_16).format()).isEqualTo("0000000300000001000000FE");
    assertThat(WalSegmentName.ofLsn(3, lsn, MIB_16).startLsn(MIB_16))
        .isEqualTo(WalSegmentName.parseLsn("1/FE000000"));
    assertThat(WalSegmentName.ofLsn(3, lsn, MIB_16).endLsn(MIB_16))
        .isEqualTo(WalSegmentName.parseLsn("1/FF000000"));
  }

  @Test
  void readsAndPrintsLsnsAsPostgresDoes() {
    assertThat(WalSegmentName.parseLsn("0/3000028")).isEqualTo(0x3000028L);
    assertThat(WalSegmentName.formatLsn(0x1_0300_0028L)).isEqualTo("1/3000028");
    assertThatThrownBy(() -> WalSegmentName.parseLsn("3000028"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an LSN");
  }

  @Test
  void refusesWhatIsNoSegmentName() {
    assertThatThrownBy(() -> WalSegmentName.parse("00000001000000000000000g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 upper-case hex digits");
    assertThat(WalSegmentName.isSegmentName("00000002.history")).isFalse();
    assertThatThrownBy(() -> WalSegmentName.parse("000000000000000000000001"))
        .hasMessageContaining("timeline");
  }

  @Test
  void namesTheHistoryFileOfATimeline() {
    assertThat(WalSegmentName.historyFileName(10)).isEqualTo("0000000A.history");
  }
}
