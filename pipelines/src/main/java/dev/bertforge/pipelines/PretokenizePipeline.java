package dev.bertforge.pipelines;

import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.PretokenizeOptions;
import dev.bertforge.options.TokenShardOptionChecks;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.ReadMetrics;
import dev.bertforge.transforms.io.WriteRejected;
import dev.bertforge.transforms.shards.Pretokenize;
import dev.bertforge.transforms.shards.ShardOutputDirectory;
import dev.bertforge.transforms.shards.TokenizerInfo;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import dev.bertforge.transforms.shards.WriteRejectedDocuments;
import dev.bertforge.transforms.shards.WriteTokenShards;
import java.io.IOException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bertforge pretokenize}: reads documents, encodes them with a Hugging Face tokenizer, and writes TFRecord
 * token shards with their manifest.
 *
 * <pre>ReadDocuments ─▶ Pretokenize ─▶ WriteTokenShards   (OUT/tokens-*.tfrecord, OUT/manifest.json, OUT/validation/)
 *       └─ rejected records ─▶ OUT/rejected/rejected-*.jsonl    └─ rejected documents ─▶ OUT/rejected/pretokenize-*.jsonl</pre>
 */
public final class PretokenizePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PretokenizePipeline.class);

  private PretokenizePipeline() {}

  public static void main(String[] args) {
    PretokenizeOptions options = PipelineCommand.parse("pretokenize", args, PretokenizeOptions.class);
    PipelineCommand.exitOnFailure("pretokenize", () -> run(options));
  }

  /**
   * Checks the options, builds and runs the pipeline, then logs what it did (not when the job did not finish here:
   * only a template was written, or the runner handed it over). Bad options fail before any work.
   */
  static PipelineResult run(PretokenizeOptions options) throws IOException {
    OptionChecks.check(options);
    TokenShardOptionChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    TokenizerInfo.parse(TokenizerLocation.read(options.getTokenizer()), options.getTokenizer());
    ShardOutputDirectory.prepare(options.getOutput(), options.getOverwrite());
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options);
    long start = System.nanoTime();
    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("pretokenize")
        .withCounter("tokens", MetricName.named(Pretokenize.METRICS, "tokens")));
    if (!PipelineCommand.finishedHere(result, "pretokenize", "the summary")) {
      return result;
    }
    PipelineSummary summary =
        new PipelineSummary(result, ReadMetrics.NAMESPACE, Pretokenize.METRICS, WriteTokenShards.METRICS);
    long read = summary.get(ReadMetrics.NAMESPACE, ReadMetrics.DOCUMENTS.getName());
    LOG.info("read {} documents ({} records rejected, {} blank; see {})",
        read,
        summary.get(ReadMetrics.NAMESPACE, ReadMetrics.REJECTED.getName()),
        summary.get(ReadMetrics.NAMESPACE, ReadMetrics.BLANK.getName()),
        FileSystems.matchNewResource(options.getOutput(), true)
            .resolve("rejected", StandardResolveOptions.RESOLVE_DIRECTORY));
    if (read != summary.get(Pretokenize.METRICS, "documents_in")) {
      throw new IllegalStateException("counts do not add up: " + read + " documents read, "
          + summary.get(Pretokenize.METRICS, "documents_in") + " came to the tokenizer");
    }
    logSummary(summary, options.getMaxSeqLen(), options.getOutput(), (System.nanoTime() - start) / 1e9);
    return result;
  }

  static void build(Pipeline pipeline, PretokenizeOptions options) {
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options).withoutRecords());
    read.rejected().apply("WriteRejectedRecords", WriteRejected.to(options.getOutput()));
    PCollectionTuple tokens =
        read.documents().apply("Pretokenize",
            Pretokenize.withTokenizer(options.getTokenizer()).withEncoder(options.getEncoder()));
    tokens.get(Pretokenize.REJECTED).apply("WriteRejectedDocuments", WriteRejectedDocuments.to(options.getOutput()));
    tokens.get(Pretokenize.TOKENIZED).apply("WriteTokenShards", WriteTokenShards.to(options.getOutput())
        .withTokenizer(options.getTokenizer())
        .withOptions(options)
        .withRejected(tokens.get(Pretokenize.REJECTED)));
  }

  /** Logs how the documents were counted and what the shards hold; {@code output} is the shards' directory. */
  static void logSummary(PipelineSummary s, int maxSeqLen, String output, double seconds) {
    String p = Pretokenize.METRICS;
    String w = WriteTokenShards.METRICS;
    long in = s.get(p, "documents_in");
    long tokens = s.get(p, "tokens");
    long tokenized = s.get(p, "documents_tokenized");
    long blank = s.get(p, "documents_rejected_blank");
    long noTokens = s.get(p, "documents_rejected_no_tokens");
    long encodeFailed = s.get(p, "documents_rejected_encode_failed");
    LOG.info("documents in {} = tokenized {} + rejected {} (blank {}, no tokens {}, encode failed {}); {} encoded "
        + "by DJL", in, tokenized, blank + noTokens + encodeFailed, blank, noTokens, encodeFailed,
        s.get(p, "documents_encoded_djl"));
    if (in != tokenized + blank + noTokens + encodeFailed) {
      throw new IllegalStateException("counts do not add up: " + in + " documents in, " + tokenized + " tokenized, "
          + blank + " blank, " + noTokens + " without tokens, " + encodeFailed + " failed to encode");
    }
    for (String split : new String[] {"train", "validation"}) {
      long rows = s.get(w, split + "_rows");
      long rowTokens = s.get(w, split + "_tokens");
      LOG.info("{}: {} rows, {} tokens, fill {}, {} documents split into windows, {} tokens truncated", split, rows,
          rowTokens, rows == 0 ? "-" : String.format("%.2f%%", 100.0 * rowTokens / ((double) rows * maxSeqLen)),
          s.get(w, split + "_documents_split"), s.get(w, split + "_tokens_truncated"));
    }
    LOG.info("{} tokens encoded in {} s ({} tokens/s); manifest: {}", tokens, String.format("%.1f", seconds),
        String.format("%.0f", tokens / seconds),
        FileSystems.matchNewResource(output, true).resolve("manifest.json", StandardResolveOptions.RESOLVE_FILE));
  }
}
