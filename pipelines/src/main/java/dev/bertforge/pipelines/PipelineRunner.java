package dev.bertforge.pipelines;

import dev.bertforge.transforms.io.ReadMetrics;
import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every pipeline main shares: option parsing with {@code --help}, runner tuning, and a progress log. */
final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
  private static final Duration PROGRESS_EVERY = Duration.standardSeconds(10);

  private PipelineRunner() {}

  /** Parses {@code args} into {@code type}; prints the options and exits 0 on {@code --help}. */
  static <T extends PipelineOptions> T parse(String[] args, Class<T> type, String command) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println("Usage: ./bertforge " + command + " --option=value ...\n");
      PipelineOptionsFactory.printHelp(System.out, type);
      System.exit(0);
    }
    PipelineOptionsFactory.register(type);
    T options = PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    tuneDirectRunner(options, args);
    return options;
  }

  /**
   * The Direct runner checks by default that no element is mutated and that each one encodes, by copying every
   * element through its coder: useful in tests, a several-fold slowdown on a real corpus. Off unless asked for.
   */
  private static void tuneDirectRunner(PipelineOptions options, String[] args) {
    if (options.getRunner() != DirectRunner.class) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    String all = String.join(" ", args);
    if (!all.contains("--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!all.contains("--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    direct.setBlockOnRun(false); // so that the main thread can report progress while it runs
  }

  /** Runs the pipeline, logging reading progress every few seconds, and waits for it; fails if it fails. */
  static PipelineResult runWithProgress(Pipeline pipeline) {
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish(PROGRESS_EVERY);
    while (state == null || !state.isTerminal()) {
      logProgress(result, started);
      state = result.waitUntilFinish(PROGRESS_EVERY);
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended " + state);
    }
    return result;
  }

  private static void logProgress(PipelineResult result, long started) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    long matched = counter(metrics, ReadMetrics.BYTES_MATCHED);
    long read = counter(metrics, ReadMetrics.BYTES_READ);
    long documents = counter(metrics, ReadMetrics.DOCUMENTS);
    double seconds = (System.nanoTime() - started) / 1e9;
    double rate = read / 1e6 / seconds;
    String eta = read > 0 && matched > read ? String.format(", about %.0f s left to read", (matched - read) / 1e6 / rate) : "";
    LOG.info(String.format("read %.1f of %.1f MB (%.0f%%), %d documents, %.1f MB/s%s; %.0f s so far", read / 1e6,
        matched / 1e6, matched == 0 ? 0.0 : 100.0 * read / matched, documents, rate, eta, seconds));
  }

  static long counter(MetricQueryResults metrics, MetricName name) {
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      if (counter.getName().equals(name)) {
        try {
          total += counter.getCommitted();
        } catch (UnsupportedOperationException e) {
          total += counter.getAttempted();
        }
      }
    }
    return total;
  }
}
