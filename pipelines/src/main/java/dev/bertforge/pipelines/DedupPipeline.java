package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.DedupOptions;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.transforms.dedup.DedupResult;
import dev.bertforge.transforms.dedup.DuplicateClusters;
import dev.bertforge.transforms.dedup.ExactDuplicates;
import dev.bertforge.transforms.dedup.LshBands;
import dev.bertforge.transforms.dedup.NearDuplicates;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.ReadMetrics;
import dev.bertforge.transforms.io.WriteDocuments;
import dev.bertforge.transforms.io.WriteRejected;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code ./bertforge dedup --input=GLOB --output=OUT}: {@link ExactDuplicates} then {@link NearDuplicates}, writing
 * {@code OUT/kept/} (the input's format, every field), {@code OUT/clusters/clusters-*.jsonl} (one line {@code {"id",
 * "cluster"}} per member of every cluster of two or more; {@code cluster} is the kept, smallest id),
 * {@code OUT/rejected/} (records the reader could not use) and {@code OUT/stats.json}. Counts add up:
 * documents = kept + removed exact + removed near; records read = documents + rejected + blank.
 */
public final class DedupPipeline {
  static final String NAMESPACE = "bertforge.dedup";
  static final MetricName KEPT = MetricName.named(NAMESPACE, "kept");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DedupPipeline() {}

  public static void main(String[] args) {
    // Embedded Flink logs every task deployment at INFO: thousands of lines that hide the progress lines.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink", "warn");
    DedupOptions options = PipelineCommand.parse("dedup", args, DedupOptions.class);
    PipelineCommand.exitOnFailure("dedup", () -> {
      OptionChecks.check(options);
      ObjectNode stats = run(options);
      if (stats != null) {
        System.out.println(JSON.writeValueAsString(stats));
      }
    });
  }

  /** The near-duplicate transform the options describe. */
  static NearDuplicates nearDuplicates(DedupOptions options) {
    NearDuplicates near =
        NearDuplicates.create()
            .withNgramSize(options.getNgramSize())
            .withNumPerm(options.getNumPerm())
            .withThreshold(options.getThreshold())
            .withVerification(options.getVerify())
            .withSeed(options.getSeed())
            .withCcRounds(options.getCcRounds());
    return options.getBands() == null ? near : near.withBands(options.getBands(), options.getRows());
  }

  /**
   * Builds and runs the pipeline; returns (and writes to OUT/stats.json) what it did, or null when the job did not
   * finish here (only a template was written, or the runner handed it over).
   */
  public static ObjectNode run(DedupOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    long startNanos = System.nanoTime();
    long startCpuNanos = processCpuNanos();
    ResourceId out = FileSystems.matchNewResource(options.getOutput(), true);
    NearDuplicates nearDuplicates = nearDuplicates(options);

    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options));
    deduplicate(read, options, nearDuplicates, out);

    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("dedup").withCounter("kept", KEPT));
    if (!PipelineCommand.finishedHere(result, "dedup", "OUT/stats.json and the count check")) {
      return null;
    }
    return writeStats(options, nearDuplicates, result, out, startNanos, startCpuNanos);
  }

  /**
   * Applies the dedup steps to what {@code read} gives: rejected records to {@code out/rejected/}, exact then near
   * duplicates removed, the kept documents to {@code out/kept/} (the input's format) and the clusters to {@code
   * out/clusters/}. Returns the kept documents (with {@code prepare}, they go on to the tokenizer and the shards).
   */
  static PCollection<Document> deduplicate(ReadDocuments.Result read, DedupOptions options,
      NearDuplicates nearDuplicates, ResourceId out) {
    read.rejected().apply("WriteRejected", WriteRejected.to(out.toString()));
    DedupResult exact = read.documents().apply("ExactDuplicates", ExactDuplicates.create());
    DedupResult near = exact.kept().apply("NearDuplicates", nearDuplicates);
    PCollection<Document> kept = near.kept().apply("CountKept", ParDo.of(new CountKeptFn()));
    kept.apply("WriteKept", WriteDocuments.likeInput(read)
        .to(out.resolve("kept", StandardResolveOptions.RESOLVE_DIRECTORY).toString())
        .withNumShards(options.getNumShards()));
    exact.clusters()
        .apply("MergeClusters", DuplicateClusters.thenNear(near.clusters()))
        .apply("ClusterLines", MapElements.into(TypeDescriptors.strings()).via(DedupPipeline::clusterLine))
        .apply("WriteClusters", TextIO.write()
            .to(out.resolve("clusters", StandardResolveOptions.RESOLVE_DIRECTORY)
                .resolve("clusters", StandardResolveOptions.RESOLVE_FILE).toString())
            .withSuffix(".jsonl"));
    return kept;
  }

  /** Writes {@code out/stats.json} from a finished run's metrics, and returns it. */
  static ObjectNode writeStats(DedupOptions options, NearDuplicates nearDuplicates, PipelineResult result,
      ResourceId out, long startNanos, long startCpuNanos) throws IOException {
    ObjectNode stats = stats(options, nearDuplicates.bands(), result.metrics().allMetrics());
    ObjectNode timings = stats.putObject("timings");
    timings.put("wall_seconds", (System.nanoTime() - startNanos) / 1e9);
    timings.put("driver_process_cpu_seconds", (processCpuNanos() - startCpuNanos) / 1e9);
    ResourceId json = out.resolve("stats.json", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream stream = Channels.newOutputStream(FileSystems.create(json, "application/json"))) {
      stream.write(JSON.writeValueAsString(stats).getBytes(StandardCharsets.UTF_8));
    }
    return stats;
  }

  static ObjectNode stats(DedupOptions options, LshBands bands, MetricQueryResults metrics) {
    long documents = counter(metrics, ReadMetrics.DOCUMENTS);
    long removedExact = counter(metrics, MetricName.named(ExactDuplicates.class, ExactDuplicates.REMOVED));
    long removedNear = counter(metrics, MetricName.named(NearDuplicates.class, NearDuplicates.REMOVED));
    long kept = counter(metrics, KEPT);
    if (documents != kept + removedExact + removedNear) {
      throw new IllegalStateException("counts do not add up: " + documents + " documents read, " + kept + " kept, "
          + removedExact + " removed as exact and " + removedNear + " as near duplicates");
    }
    ObjectNode stats = JSON.createObjectNode();
    stats.put("input", options.getInput());
    stats.put("documents_in", documents);
    stats.put("kept", kept);
    stats.put("removed_exact", removedExact);
    stats.put("removed_near", removedNear);
    stats.put("rejected", counter(metrics, ReadMetrics.REJECTED));
    stats.put("blank", counter(metrics, ReadMetrics.BLANK));
    stats.put("clusters", counter(metrics, MetricName.named(DuplicateClusters.class, DuplicateClusters.CLUSTERS)));
    DistributionResult sizes =
        distribution(metrics, MetricName.named(DuplicateClusters.class, DuplicateClusters.CLUSTER_SIZE));
    stats.put("largest_cluster", sizes == null || sizes.getCount() == 0 ? 0 : sizes.getMax());
    stats.put("text_bytes", counter(metrics, ReadMetrics.TEXT_BYTES));
    stats.put("b", bands.bands());
    stats.put("r", bands.rows());
    ObjectNode parameters = stats.putObject("parameters");
    parameters.put("ngram_size", options.getNgramSize());
    parameters.put("num_perm", options.getNumPerm());
    parameters.put("threshold", options.getThreshold());
    parameters.put("verify", options.getVerify().name().toLowerCase(java.util.Locale.ROOT));
    parameters.put("seed", options.getSeed());
    parameters.put("cc_rounds", options.getCcRounds());
    parameters.put("minhash", "SuperMinHash, 32-bit components");
    ObjectNode near = stats.putObject("near");
    for (String name : new String[] {NearDuplicates.WITHOUT_TOKENS, NearDuplicates.CANDIDATE_PAIRS,
        NearDuplicates.VERIFIED_PAIRS, NearDuplicates.REJECTED_PAIRS, NearDuplicates.CLUSTERS}) {
      near.put(name.replaceFirst("^near_", ""), counter(metrics, MetricName.named(NearDuplicates.class, name)));
    }
    near.put("cc_residual_edges",
        counter(metrics, MetricName.named(dev.bertforge.transforms.dedup.ConnectedComponents.class,
            "cc_residual_edges")));
    return stats;
  }

  private static String clusterLine(KV<String, String> assignment) {
    return JSON.createObjectNode().put("id", assignment.getKey()).put("cluster", assignment.getValue()).toString();
  }

  /** Committed values where the runner has them (Direct, Dataflow), else attempted (Flink). */
  static long counter(MetricQueryResults metrics, MetricName name) {
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().equals(name)) {
        total += committedOrAttempted(c);
      }
    }
    return total;
  }

  private static DistributionResult distribution(MetricQueryResults metrics, MetricName name) {
    DistributionResult merged = null;
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().equals(name)) {
        DistributionResult value = committedOrAttempted(d);
        merged = merged == null ? value : DistributionResult.create(merged.getSum() + value.getSum(),
            merged.getCount() + value.getCount(), Math.min(merged.getMin(), value.getMin()),
            Math.max(merged.getMax(), value.getMax()));
      }
    }
    return merged;
  }

  private static <T> T committedOrAttempted(MetricResult<T> result) {
    try {
      return result.getCommitted();
    } catch (UnsupportedOperationException e) {
      return result.getAttempted();
    }
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : -1;
  }

  static final class CountKeptFn extends DoFn<Document, Document> {
    private final Counter kept = Metrics.counter(KEPT.getNamespace(), KEPT.getName());

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<Document> out) {
      kept.inc();
      out.output(document);
    }
  }
}
