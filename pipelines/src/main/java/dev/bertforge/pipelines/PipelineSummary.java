package dev.bertforge.pipelines;

import dev.bertforge.transforms.io.MetricTotals;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The counters a finished pipeline reported, by name, summed over steps (committed where the runner has them: {@link MetricTotals}). */
final class PipelineSummary {
  private final Map<String, Long> counters = new TreeMap<>();

  PipelineSummary(PipelineResult result, String... namespaces) {
    MetricsFilter.Builder filter = MetricsFilter.builder();
    for (String namespace : namespaces) {
      filter.addNameFilter(MetricNameFilter.inNamespace(namespace));
    }
    MetricQueryResults metrics = result.metrics().queryMetrics(filter.build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      counters.merge(counter.getName().getNamespace() + "/" + counter.getName().getName(), MetricTotals.finalValue(counter),
          Long::sum);
    }
  }

  /** The counter {@code namespace/name}, 0 when it never counted. */
  long get(String namespace, String name) {
    return counters.getOrDefault(namespace + "/" + name, 0L);
  }

  Map<String, Long> all() {
    return counters;
  }
}
