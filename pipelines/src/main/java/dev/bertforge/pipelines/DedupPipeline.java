package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.DedupOptions;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.transforms.dedup.DedupResult;
import dev.bertforge.transforms.dedup.DuplicateClusters;
import dev.bertforge.transforms.dedup.ExactDuplicates;
import dev.bertforge.transforms.dedup.Fingerprint;
import dev.bertforge.transforms.dedup.FingerprintDedup;
import dev.bertforge.transforms.dedup.Fingerprints;
import dev.bertforge.transforms.dedup.KeptDocuments;
import dev.bertforge.transforms.dedup.LshBands;
import dev.bertforge.transforms.dedup.NearDuplicates;
import dev.bertforge.transforms.io.CopyRecords;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.MetricTotals;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.ReadMetrics;
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
 * {@code ./bertforge dedup --input=GLOB --output=OUT}: {@link ExactDuplicates} then {@link NearDuplicates} on
 * {@link Fingerprints} ({@link FingerprintDedup}: texts are never shuffled), writing {@code OUT/kept/} (the kept
 * records copied from the input, which it mirrors: format, fields, compression), {@code OUT/clusters/clusters-*.jsonl} (one line {@code {"id",
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
      if (options.getNumShards() != 0) {
        throw new IllegalArgumentException(
            "--numShards does not apply: kept/ mirrors the input's files (a part per 64 MB of a big file)");
      }
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
    // Texts stop at the fingerprints; the kept records are copied from the input at the end.
    ReadDocuments.Result read =
        pipeline.apply("ReadDocuments", ReadDocuments.from(options).withoutRecords().withOrigins());
    deduplicate(read, nearDuplicates, out);

    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("dedup").withCounter("kept", KEPT));
    if (!PipelineCommand.finishedHere(result, "dedup", "OUT/stats.json and the count check")) {
      return null;
    }
    return writeStats(options, nearDuplicates, result, out, startNanos, startCpuNanos);
  }

  /**
   * Applies the dedup steps to what {@code read} gives (read {@link ReadDocuments#withOrigins() with origins}):
   * rejected records to {@code out/rejected/}, exact then near duplicates removed on fingerprints, the kept records
   * copied to {@code out/kept/} and the clusters to {@code out/clusters/}. Returns the kept fingerprints and the
   * clusters; {@link #keptDocuments} gives the kept documents with their texts to pipelines that go on with them.
   */
  static DedupResult<Fingerprint> deduplicate(
      ReadDocuments.Result read, NearDuplicates nearDuplicates, ResourceId out) {
    read.rejected().apply("WriteRejected", WriteRejected.to(out.toString()));
    DedupResult<Fingerprint> dedup =
        read.documents()
            .apply("Fingerprints", Fingerprints.of(nearDuplicates))
            .apply("Deduplicate", FingerprintDedup.with(nearDuplicates));
    dedup.kept()
        .apply("CountKept", ParDo.of(new CountKeptFn()))
        .apply("WriteKept", CopyRecords.of(read.format())
            .to(out.resolve("kept", StandardResolveOptions.RESOLVE_DIRECTORY).toString()));
    dedup.clusters()
        .apply("ClusterLines", MapElements.into(TypeDescriptors.strings()).via(DedupPipeline::clusterLine))
        .apply("WriteClusters", TextIO.write()
            .to(out.resolve("clusters", StandardResolveOptions.RESOLVE_DIRECTORY)
                .resolve("clusters", StandardResolveOptions.RESOLVE_FILE).toString())
            .withSuffix(".jsonl"));
    return dedup;
  }

  /** The documents of {@code read} that {@code dedup} kept, texts included (one shuffle of the texts). */
  static PCollection<Document> keptDocuments(
      ReadDocuments.Result read, DedupResult<Fingerprint> dedup, NearDuplicates nearDuplicates) {
    return read.documents()
        .apply("KeptDocuments", KeptDocuments.of(dedup.kept(), nearDuplicates.documentsPerShard()));
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
    long documents = MetricTotals.counter(metrics, ReadMetrics.DOCUMENTS);
    long removedExact = MetricTotals.counter(metrics, MetricName.named(ExactDuplicates.class, ExactDuplicates.REMOVED));
    long removedNear = MetricTotals.counter(metrics, MetricName.named(NearDuplicates.class, NearDuplicates.REMOVED));
    long kept = MetricTotals.counter(metrics, KEPT);
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
    stats.put("rejected", MetricTotals.counter(metrics, ReadMetrics.REJECTED));
    stats.put("blank", MetricTotals.counter(metrics, ReadMetrics.BLANK));
    stats.put("clusters", MetricTotals.counter(metrics, MetricName.named(DuplicateClusters.class, DuplicateClusters.CLUSTERS)));
    DistributionResult sizes =
        distribution(metrics, MetricName.named(DuplicateClusters.class, DuplicateClusters.CLUSTER_SIZE));
    stats.put("largest_cluster", sizes == null || sizes.getCount() == 0 ? 0 : sizes.getMax());
    stats.put("text_bytes", MetricTotals.counter(metrics, ReadMetrics.TEXT_BYTES));
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
      near.put(name.replaceFirst("^near_", ""), MetricTotals.counter(metrics, MetricName.named(NearDuplicates.class, name)));
    }
    near.put("cc_residual_edges",
        MetricTotals.counter(metrics, MetricName.named(dev.bertforge.transforms.dedup.ConnectedComponents.class,
            "cc_residual_edges")));
    return stats;
  }

  private static String clusterLine(KV<String, String> assignment) {
    return JSON.createObjectNode().put("id", assignment.getKey()).put("cluster", assignment.getValue()).toString();
  }

  /** Committed values where the runner has them (Direct, Dataflow), else attempted (Flink). */


  private static DistributionResult distribution(MetricQueryResults metrics, MetricName name) {
    DistributionResult merged = null;
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().equals(name)) {
        DistributionResult value = MetricTotals.finalValue(d);
        merged = merged == null ? value : DistributionResult.create(merged.getSum() + value.getSum(),
            merged.getCount() + value.getCount(), Math.min(merged.getMin(), value.getMin()),
            Math.max(merged.getMax(), value.getMax()));
      }
    }
    return merged;
  }


  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : -1;
  }

  /** Counts the kept documents and gives their records' origins. */
  static final class CountKeptFn extends DoFn<Fingerprint, KV<String, Long>> {
    private final Counter kept = Metrics.counter(KEPT.getNamespace(), KEPT.getName());

    @ProcessElement
    public void process(@Element Fingerprint document, OutputReceiver<KV<String, Long>> out) {
      kept.inc();
      out.output(KV.of(document.file(), document.position()));
    }
  }
}
