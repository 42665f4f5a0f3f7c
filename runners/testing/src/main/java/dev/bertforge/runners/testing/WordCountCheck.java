package dev.bertforge.runners.testing;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The smallest pipeline that still exercises what a bundle must carry: a file system read, a shuffle
 * (GroupByKey under Count), and sharded file writes with a rename at the end. Run from a bundle in its own JVM by
 * the bundle tests; its output ("word<TAB>count" lines) is checked against a count made in plain Java.
 */
public final class WordCountCheck {

  /** Options of the check. */
  public interface Options extends PipelineOptions {
    @Description("Text files to count the words of (a file pattern)")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Output prefix of the word<TAB>count shards")
    @Validation.Required
    String getOutput();

    void setOutput(String value);
  }

  private WordCountCheck() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("Read", TextIO.read().from(options.getInput()))
        .apply(
            "Words",
            FlatMapElements.into(TypeDescriptors.strings())
                .via(
                    line ->
                        Arrays.stream(line.split("\\s+"))
                            .filter(word -> !word.isEmpty())
                            .collect(Collectors.toList())))
        .apply("Count", Count.perElement())
        .apply(
            "Format",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, Long> wordCount) -> wordCount.getKey() + "\t" + wordCount.getValue()))
        .apply("Write", TextIO.write().to(options.getOutput()).withSuffix(".tsv"));
    pipeline.run().waitUntilFinish();
  }
}
