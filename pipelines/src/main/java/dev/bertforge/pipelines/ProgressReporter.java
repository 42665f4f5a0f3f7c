package dev.bertforge.pipelines;

import dev.bertforge.transforms.io.ReadMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a running pipeline's progress every few seconds from its metrics: how much of the input was read (and an
 * ETA), documents and text read with their rates, rejected records, plus any counters a pipeline adds ({@link
 * #withCounter}, e.g. tokens). Works with runners whose {@code run()} returns while the job runs (Direct with
 * {@code blockOnRun=false}, Dataflow, Flink detached); with a runner that blocks, there is nothing to poll until
 * the end and only the final line is logged.
 *
 * <pre>{@code
 * try (ProgressReporter progress = ProgressReporter.of("dedup").withCounter("tokens", TOKENS).start(result)) {
 *   result.waitUntilFinish();
 * }
 * }</pre>
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final String command;
  private Duration interval = Duration.ofSeconds(10);
  private final List<String> extraLabels = new ArrayList<>();
  private final List<MetricName> extraCounters = new ArrayList<>();
  private PipelineResult result;
  private ScheduledExecutorService timer;
  private long startNanos;
  private Snapshot last;

  private ProgressReporter(String command) {
    this.command = command;
  }

  /** A reporter that logs every 10 seconds, each line starting with {@code command}. */
  public static ProgressReporter of(String command) {
    return new ProgressReporter(command);
  }

  /** The command whose progress this logs. */
  public String command() {
    return command;
  }

  public ProgressReporter every(Duration period) {
    this.interval = period;
    return this;
  }

  /** Also shows a counter of the pipeline's own, with its rate. */
  public ProgressReporter withCounter(String label, MetricName counter) {
    extraLabels.add(label);
    extraCounters.add(counter);
    return this;
  }

  /** Starts polling {@code result} in a daemon thread. */
  public ProgressReporter start(PipelineResult result) {
    this.result = result;
    this.startNanos = System.nanoTime();
    this.last = new Snapshot(startNanos, new long[7 + extraCounters.size()]);
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "bertforge-progress");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleAtFixedRate(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops polling. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void report() {
    try {
      Snapshot now = snapshot();
      if (now != null) {
        LOG.info("{}: {}", command, describe(now, last, startNanos));
        last = now;
      }
    } catch (RuntimeException e) {
      LOG.debug("progress: metrics not available ({})", e.toString());
    }
  }

  /** Counter values at one moment: files, bytes matched, bytes read, documents, text bytes, rejected, extras. */
  static final class Snapshot {
    final long nanos;
    final long[] values;

    Snapshot(long nanos, long[] values) {
      this.nanos = nanos;
      this.values = values;
    }
  }

  private Snapshot snapshot() {
    MetricsFilter.Builder filter = MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(ReadMetrics.NAMESPACE));
    for (MetricName extra : extraCounters) {
      filter.addNameFilter(MetricNameFilter.named(extra.getNamespace(), extra.getName()));
    }
    MetricQueryResults metrics = result.metrics().queryMetrics(filter.build());
    List<MetricName> names = new ArrayList<>(List.of(
        ReadMetrics.FILES_MATCHED, ReadMetrics.BYTES_MATCHED, ReadMetrics.BYTES_READ, ReadMetrics.DOCUMENTS,
        ReadMetrics.TEXT_BYTES, ReadMetrics.REJECTED, ReadMetrics.BLANK));
    names.addAll(extraCounters);
    long[] values = new long[names.size()];
    for (MetricResult<Long> counter : metrics.getCounters()) {
      int index = names.indexOf(counter.getName());
      if (index >= 0) {
        values[index] += attempted(counter);
      }
    }
    return new Snapshot(System.nanoTime(), values);
  }

  private static long attempted(MetricResult<Long> counter) {
    try {
      return counter.getAttempted();
    } catch (UnsupportedOperationException e) {
      return counter.getCommitted();
    }
  }

  /** One progress line: rates over the last interval, the ETA from the share read since {@code startNanos}. */
  String describe(Snapshot now, Snapshot previous, long startNanos) {
    double seconds = Math.max(1e-9, (now.nanos - previous.nanos) / 1e9);
    double elapsed = Math.max(1e-9, (now.nanos - startNanos) / 1e9);
    long matched = now.values[1];
    long read = now.values[2];
    StringBuilder line = new StringBuilder();
    if (matched > 0) {
      double fraction = Math.min(1.0, (double) read / matched);
      line.append(String.format(Locale.ROOT, "%.0f%% of %s read", 100 * fraction, Sizes.bytes(matched)));
      if (fraction > 0.01 && fraction < 1) {
        line.append(", ETA ").append(Sizes.duration(elapsed * (1 - fraction) / fraction));
      }
      line.append(" · ");
    }
    line.append(String.format(Locale.ROOT, "%,d docs (%,.0f/s) · %s text (%s/s) · %,d rejected",
        now.values[3], (now.values[3] - previous.values[3]) / seconds,
        Sizes.bytes(now.values[4]), Sizes.bytes((long) ((now.values[4] - previous.values[4]) / seconds)),
        now.values[5]));
    for (int i = 0; i < extraCounters.size(); i++) {
      long value = now.values[7 + i];
      line.append(String.format(Locale.ROOT, " · %,d %s (%,.0f/s)", value, extraLabels.get(i),
          (value - previous.values[7 + i]) / seconds));
    }
    return line.toString();
  }
}
