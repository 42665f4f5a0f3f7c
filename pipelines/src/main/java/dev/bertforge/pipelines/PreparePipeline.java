package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.DocumentInputOptions;
import dev.bertforge.options.DocumentOutputOptions;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.options.TokenShardOptionChecks;
import dev.bertforge.transforms.dedup.NearDuplicates;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.shards.Pretokenize;
import dev.bertforge.transforms.shards.RejectedDocument;
import dev.bertforge.transforms.shards.ShardOutputDirectory;
import dev.bertforge.transforms.shards.WriteRejectedDocuments;
import dev.bertforge.transforms.shards.WriteTokenShards;
import dev.bertforge.transforms.tokenizer.TrainTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bertforge prepare}: the whole data side in one Beam pipeline.
 *
 * <pre>ReadDocuments ─▶ Fingerprints ─▶ FingerprintDedup ─▶ OUT/dedup/ (kept/, clusters/, rejected/, stats.json)
 *       └──────────────────────────────▶ KeptDocuments ─┬─▶ TrainTokenizer (or --baseTokenizer) ─▶ OUT/tokenizer/
 *                                                       └─▶ Pretokenize(that tokenizer) ─▶ WriteTokenShards ─▶ OUT/shards/</pre>
 *
 * The tokenizer reaches the pretokenizing steps as a side input, so they start once it is written.
 */
public final class PreparePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PreparePipeline.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private PreparePipeline() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink", "warn");
    PrepareOptions options = PipelineCommand.parse("prepare", args, PrepareOptions.class);
    PipelineCommand.exitOnFailure("prepare", () -> run(options));
  }

  /**
   * Checks the options, builds and runs the pipeline, writes the dedup statistics, checks that the counts add up
   * and logs a summary. Returns the counts, or null when the job did not finish here (only a template was written,
   * or the runner handed it over): then none of that is done.
   */
  public static Counts run(PrepareOptions options) throws IOException {
    OptionChecks.check((DocumentInputOptions) options);
    OptionChecks.check((DocumentOutputOptions) options);
    TokenShardOptionChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId out = FileSystems.matchNewResource(options.getOutput(), true);
    ResourceId dedup = out.resolve("dedup", StandardResolveOptions.RESOLVE_DIRECTORY);
    String tokenizer = out.resolve("tokenizer", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
    String shards = out.resolve("shards", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
    TrainTokenizer train = TrainTokenizer.from(options, tokenizer); // checks the training options
    train.checkBaseTokenizer(); // a wrong --baseTokenizer fails now, not after dedup
    NearDuplicates nearDuplicates = DedupPipeline.nearDuplicates(options);
    ShardOutputDirectory.prepare(shards, options.getOverwrite());

    long startNanos = System.nanoTime();
    long startCpuNanos = DedupPipeline.processCpuNanos();
    Pipeline pipeline = Pipeline.create(options);
    // Dedup works on fingerprints and copies the kept records by origin; the kept texts are joined back after it.
    ReadDocuments.Result read =
        pipeline.apply("ReadDocuments", ReadDocuments.from(options).withoutRecords().withOrigins());
    PCollection<Document> kept = DedupPipeline.keptDocuments(
        read, DedupPipeline.deduplicate(read, nearDuplicates, dedup), nearDuplicates);
    PCollectionView<String> tokenizerDirectory =
        kept.apply("TrainTokenizer", train).apply("TokenizerAsSideInput", View.asSingleton());
    PCollectionTuple tokens =
        kept.apply("Pretokenize", Pretokenize.withTokenizer(tokenizerDirectory).withEncoder(options.getEncoder()));
    tokens.get(Pretokenize.REJECTED).apply("WriteRejectedDocuments", WriteRejectedDocuments.to(shards));
    tokens.get(Pretokenize.TOKENIZED).apply("WriteTokenShards", WriteTokenShards.to(shards)
        .withTokenizer(tokenizerDirectory)
        .withOptions(options)
        .withRejected(tokens.get(Pretokenize.REJECTED)));

    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("prepare")
        .withCounter("kept", DedupPipeline.KEPT)
        .withCounter("tokens", MetricName.named(Pretokenize.METRICS, "tokens")));
    if (!PipelineCommand.finishedHere(result, "prepare", "OUT/dedup/stats.json, the count checks and the summary")) {
      return null;
    }
    ObjectNode stats = DedupPipeline.writeStats(options, nearDuplicates, result, dedup, startNanos, startCpuNanos);
    PipelineSummary summary = new PipelineSummary(result, Pretokenize.METRICS, WriteTokenShards.METRICS);
    JsonNode validation = options.getValidationFraction() > 0 ? readJson(shards, "validation/manifest.json") : null;
    Counts counts = Counts.of(stats, summary, readJson(shards, "manifest.json"), validation);
    JsonNode report = readJson(tokenizer, "report.json");
    LOG.info("prepare: {} documents read ({} records rejected, {} blank: {}rejected/)", counts.documentsIn(),
        stats.path("rejected").asLong(), stats.path("blank").asLong(), dedup);
    LOG.info("dedup: {} kept, {} removed ({} exact + {} near duplicates in {} clusters): {}stats.json",
        counts.kept(), counts.removed(), stats.path("removed_exact").asLong(), stats.path("removed_near").asLong(),
        stats.path("clusters").asLong(), dedup);
    JsonNode heldOut = report.path("held_out");
    LOG.info("tokenizer: {} ({} ids{}): {}", report.path("mode").asText(), report.path("vocab_size").asText(),
        heldOut.path("documents").asLong() == 0 ? "" : ", " + heldOut.path("bytes_per_token").asText()
            + " bytes per token on " + heldOut.path("documents").asText() + " held-out documents", tokenizer);
    PretokenizePipeline.logSummary(summary, options.getMaxSeqLen(), shards, (System.nanoTime() - startNanos) / 1e9);
    return counts;
  }

  private static JsonNode readJson(String directory, String name) throws IOException {
    ResourceId file = FileSystems.matchNewResource(directory + name, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return JSON.readTree(in);
    }
  }

  /**
   * How the documents of a run were counted, checked to add up: read = kept + removed (duplicates); kept = tokenized
   * + rejected (nothing left to encode); tokenized = the documents in the train and validation shards.
   */
  public record Counts(long documentsIn, long kept, long removed, long tokenized, long rejected, long inShards) {

    static Counts of(JsonNode dedupStats, PipelineSummary pretokenize, JsonNode train, @Nullable JsonNode validation) {
      long rejected = 0;
      for (RejectedDocument.Reason reason : RejectedDocument.Reason.values()) {
        rejected += pretokenize.get(Pretokenize.METRICS, "documents_rejected_" + reason.label());
      }
      Counts counts = new Counts(dedupStats.path("documents_in").asLong(), dedupStats.path("kept").asLong(),
          dedupStats.path("removed_exact").asLong() + dedupStats.path("removed_near").asLong(),
          pretokenize.get(Pretokenize.METRICS, "documents_tokenized"), rejected,
          train.path("totals").path("documents").asLong()
              + (validation == null ? 0 : validation.path("totals").path("documents").asLong()));
      if (counts.documentsIn != counts.kept + counts.removed || counts.kept != counts.tokenized + counts.rejected
          || counts.tokenized != counts.inShards) {
        throw new IllegalStateException("prepare's counts do not add up: " + counts);
      }
      return counts;
    }
  }
}
