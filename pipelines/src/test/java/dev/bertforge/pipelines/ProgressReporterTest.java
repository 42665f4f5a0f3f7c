package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.metrics.MetricName;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void reportsShareReadEtaAndRatesOverTheLastInterval() {
    ProgressReporter reporter = ProgressReporter.of("test").withCounter("tokens", MetricName.named("x", "tokens"));
    // files, bytes matched, bytes read, documents, text bytes, rejected, blank, tokens
    ProgressReporter.Snapshot previous =
        new ProgressReporter.Snapshot(10 * SECOND, new long[] {4, 2_000_000_000L, 500_000_000L, 1000, 400_000_000L, 1, 0, 50});
    ProgressReporter.Snapshot now =
        new ProgressReporter.Snapshot(20 * SECOND, new long[] {4, 2_000_000_000L, 1_000_000_000L, 3000, 900_000_000L, 3, 0, 250});
    assertThat(reporter.describe(now, previous, 0),
        equalTo("50% of 2.00 GB read, ETA 20 s · 3,000 docs (200/s) · 900 MB text (50.0 MB/s) · 3 rejected"
            + " · 250 tokens (20/s)"));
  }

  @Test
  void formatsSizesAndDurations() {
    assertThat(Sizes.bytes(999), equalTo("999 B"));
    assertThat(Sizes.bytes(1_370_000_000L), equalTo("1.37 GB"));
    assertThat(Sizes.duration(187), equalTo("3m07s"));
    assertThat(Sizes.duration(7500), equalTo("2h05m"));
  }
}
