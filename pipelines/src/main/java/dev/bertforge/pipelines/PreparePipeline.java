package dev.bertforge.pipelines;

import dev.bertforge.options.DocumentInputOptions;
import dev.bertforge.options.DocumentOutputOptions;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.options.TokenShardOptionChecks;
import dev.bertforge.transforms.dedup.NearDuplicates;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.ReadMetrics;
import dev.bertforge.transforms.shards.Pretokenize;
import dev.bertforge.transforms.shards.ShardOutputDirectory;
import dev.bertforge.transforms.shards.TokenizerInfo;
import dev.bertforge.transforms.shards.TokenizerLocation;
import dev.bertforge.transforms.shards.WriteRejectedDocuments;
import dev.bertforge.transforms.shards.WriteTokenShards;
import dev.bertforge.transforms.tokenizer.TrainTokenizer;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bertforge prepare}: the whole data side in one Beam pipeline.
 *
 * <pre>ReadDocuments ─▶ ExactDuplicates ─▶ NearDuplicates ─┬─▶ OUT/dedup/ (kept/, clusters/, rejected/, stats.json)
 *                                                      ├─▶ TrainTokenizer (or --baseTokenizer) ─▶ OUT/tokenizer/
 *                                                      └─▶ Pretokenize(that tokenizer) ─▶ WriteTokenShards ─▶ OUT/shards/</pre>
 *
 * The tokenizer reaches the pretokenizing steps as a side input, so they start once it is written.
 */
public final class PreparePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PreparePipeline.class);

  private PreparePipeline() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink", "warn");
    PrepareOptions options = PipelineCommand.parse("prepare", args, PrepareOptions.class);
    PipelineCommand.exitOnFailure("prepare", () -> run(options));
  }

  /** Checks the options, builds and runs the pipeline, writes the dedup statistics and logs a summary. */
  static PipelineResult run(PrepareOptions options) throws IOException {
    OptionChecks.check((DocumentInputOptions) options);
    OptionChecks.check((DocumentOutputOptions) options);
    TokenShardOptionChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId out = FileSystems.matchNewResource(options.getOutput(), true);
    String dedup = out.resolve("dedup", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
    String tokenizer = out.resolve("tokenizer", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
    String shards = out.resolve("shards", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
    if (options.getBaseTokenizer() != null) {
      TokenizerInfo.parse(TokenizerLocation.read(options.getBaseTokenizer()), options.getBaseTokenizer());
    }
    TrainTokenizer train = TrainTokenizer.from(options, tokenizer); // checks the training options
    NearDuplicates nearDuplicates = DedupPipeline.nearDuplicates(options);
    ShardOutputDirectory.prepare(shards, options.getOverwrite());

    long startNanos = System.nanoTime();
    long startCpuNanos = DedupPipeline.processCpuNanos();
    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options));
    PCollection<Document> kept =
        DedupPipeline.deduplicate(read, options, nearDuplicates, FileSystems.matchNewResource(dedup, true));
    PCollectionView<String> trained =
        kept.apply("TrainTokenizer", train).apply("TokenizerAsSideInput", View.asSingleton());
    PCollectionTuple tokens =
        kept.apply("Pretokenize", Pretokenize.withTokenizer(trained).withEncoder(options.getEncoder()));
    tokens.get(Pretokenize.REJECTED).apply("WriteRejectedDocuments", WriteRejectedDocuments.to(shards));
    tokens.get(Pretokenize.TOKENIZED).apply("WriteTokenShards", WriteTokenShards.to(shards)
        .withTokenizer(trained)
        .withMode(options.getMode())
        .withMaxSeqLen(options.getMaxSeqLen())
        .withNumShards(options.getNumShards())
        .withCompression(options.getCompression())
        .withValidationFraction(options.getValidationFraction())
        .withRejected(tokens.get(Pretokenize.REJECTED)));

    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("prepare")
        .withCounter("kept", DedupPipeline.KEPT)
        .withCounter("tokens", MetricName.named(Pretokenize.METRICS, "tokens")));
    DedupPipeline.writeStats(options, nearDuplicates, result, FileSystems.matchNewResource(dedup, true), startNanos,
        startCpuNanos);
    PipelineSummary s = new PipelineSummary(result, ReadMetrics.NAMESPACE, DedupPipeline.NAMESPACE,
        Pretokenize.METRICS, WriteTokenShards.METRICS);
    LOG.info("prepare: {} documents read, {} kept after dedup ({}stats.json), tokenizer in {}", s.get(
        ReadMetrics.NAMESPACE, ReadMetrics.DOCUMENTS.getName()), s.get(DedupPipeline.NAMESPACE, "kept"), dedup,
        tokenizer);
    PretokenizePipeline.logSummary(s, options.getMaxSeqLen(), shards, (System.nanoTime() - startNanos) / 1e9);
    return result;
  }
}
