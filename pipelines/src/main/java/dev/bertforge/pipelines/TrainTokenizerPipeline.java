package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.DocumentInputOptions;
import dev.bertforge.options.DocumentOutputOptions;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.TrainTokenizerOptions;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.WriteRejected;
import dev.bertforge.transforms.tokenizer.CountWords;
import dev.bertforge.transforms.tokenizer.TrainTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.metrics.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bertforge train-tokenizer --input=CORPUS --output=DIR [--vocabSize=50368 ...]}: reads the corpus, trains a
 * byte-level BPE tokenizer identical to Hugging Face's, and writes {@code DIR/tokenizer.json},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code report.json} (and {@code DIR/rejected/}).
 */
public final class TrainTokenizerPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TrainTokenizerPipeline.class);

  private TrainTokenizerPipeline() {}

  public static void main(String[] args) {
    TrainTokenizerOptions options = PipelineCommand.parse("train-tokenizer", args, TrainTokenizerOptions.class);
    PipelineCommand.exitOnFailure("train-tokenizer", () -> run(options));
  }

  /**
   * Builds and runs the pipeline; returns report.json (null when the job did not finish here: only a template was
   * written, or the runner handed it over). Bad options fail before any work.
   */
  static JsonNode run(TrainTokenizerOptions options) throws IOException {
    OptionChecks.check((DocumentInputOptions) options);
    OptionChecks.check((DocumentOutputOptions) options);
    String output = options.getOutput();
    TrainTokenizer train = TrainTokenizer.from(options, output); // checks the training options
    FileSystems.setDefaultPipelineOptions(options);
    train.checkBaseTokenizer();

    long started = System.nanoTime();
    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options).withoutRecords());
    if (read.format().inputBytes() == 0) {
      throw new IllegalArgumentException("--input=" + options.getInput() + ": the corpus is empty ("
          + read.format().inputFiles() + " files, 0 bytes)");
    }
    read.rejected().apply("WriteRejected", WriteRejected.to(output));
    read.documents().apply("TrainTokenizer", train);
    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("train-tokenizer")
        .withCounter("words", MetricName.named(CountWords.class, "words")));
    if (!PipelineCommand.finishedHere(result, "train-tokenizer", "reading report.json")) {
      return null;
    }

    JsonNode report = readReport(output);
    LOG.info("train-tokenizer: {} ids ({} merges) in {} s; tokenizer in {}", report.path("vocab_size"),
        report.path("merges"), String.format("%.1f", (System.nanoTime() - started) / 1e9), output);
    return report;
  }

  private static JsonNode readReport(String output) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(output, true)
        .resolve("report.json", StandardResolveOptions.RESOLVE_FILE)))) {
      return new ObjectMapper().readTree(in);
    }
  }
}
