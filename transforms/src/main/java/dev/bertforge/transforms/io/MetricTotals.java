package dev.bertforge.transforms.io;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Final counter values of a finished pipeline, summed over steps. Committed values where the runner has them: the
 * Direct runner's attempted values are merged on a background thread and were seen short of the truth right after
 * the run; committed ones are exact. Runners without committed metrics (Flink) give their attempted values.
 */
public final class MetricTotals {
  private MetricTotals() {}

  public static long counter(PipelineResult result, MetricName name) {
    return counter(result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(name.getNamespace(), name.getName())).build()), name);
  }

  public static long counter(MetricQueryResults metrics, MetricName name) {
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().equals(name)) {
        total += finalValue(c);
      }
    }
    return total;
  }

  public static <T> T finalValue(MetricResult<T> result) {
    try {
      return result.getCommitted();
    } catch (UnsupportedOperationException e) {
      return result.getAttempted();
    }
  }
}
