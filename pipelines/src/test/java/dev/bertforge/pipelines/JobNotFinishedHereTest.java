package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertforge.options.DedupOptions;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.options.PretokenizeOptions;
import dev.bertforge.options.StatsOptions;
import dev.bertforge.options.TrainTokenizerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a command's job does not finish in its own process (the runner only writes a template, as Dataflow does for
 * Flex Template launchers, or hands the job over and returns), the command ends without error and without the
 * steps that need the finished job: nothing is written to OUT, no counts are checked, nothing is returned.
 */
class JobNotFinishedHereTest {
  private static final Path TOKENIZER =
      Path.of("../transforms/src/test/resources/shards/tokenizer").toAbsolutePath().normalize();

  @TempDir Path temp;
  private Path input;
  private Path out;
  private Path template;

  @BeforeEach
  void corpus() throws IOException {
    input = temp.resolve("docs.jsonl");
    Files.writeString(input, "{\"id\":\"a\",\"text\":\"first document\"}\n{\"id\":\"b\",\"text\":\"first document\"}\n");
    out = temp.resolve("out");
    template = temp.resolve("job.json");
  }

  @Test
  void statsWithATemplateRunnerWritesOnlyTheTemplate() throws Exception {
    assertThat(StatsPipeline.run(templateOnly(StatsOptions.class)), nullValue());
    assertOnlyTheTemplateWasWritten();
  }

  @Test
  void dedupWithATemplateRunnerWritesNoStats() throws Exception {
    assertThat(DedupPipeline.run(templateOnly(DedupOptions.class)), nullValue());
    assertOnlyTheTemplateWasWritten();
  }

  @Test
  void trainTokenizerWithATemplateRunnerReadsNoReport() throws Exception {
    assertThat(TrainTokenizerPipeline.run(templateOnly(TrainTokenizerOptions.class)), nullValue());
    assertOnlyTheTemplateWasWritten();
  }

  @Test
  void pretokenizeWithATemplateRunnerLogsNoSummary() throws Exception {
    PipelineResult result = PretokenizePipeline.run(templateOnly(PretokenizeOptions.class, "--tokenizer=" + TOKENIZER));
    assertThat(result.getState(), equalTo(PipelineResult.State.UNKNOWN));
    assertOnlyTheTemplateWasWritten();
  }

  @Test
  void prepareWithATemplateRunnerChecksNoCounts() throws Exception {
    assertThat(PreparePipeline.run(templateOnly(PrepareOptions.class, "--vocabSize=300")), nullValue());
    assertOnlyTheTemplateWasWritten();
  }

  @Test
  void dedupWhoseJobIsHandedOverWritesNoStats() throws Exception {
    DedupOptions options = options(DedupOptions.class);
    options.setRunner(FakeRunners.HandsOver.class);
    assertThat(DedupPipeline.run(options), nullValue());
    assertThat(filesUnder(out), empty());
  }

  @Test
  void aFailedJobStillFailsTheCommand() {
    DedupOptions options = options(DedupOptions.class);
    options.setRunner(FakeRunners.Fails.class);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DedupPipeline.run(options));
    assertThat(e.getMessage(), containsString("the pipeline ended FAILED"));
  }

  private <T extends PipelineOptions> T templateOnly(Class<T> type, String... extra) {
    T options = options(type, extra);
    options.setRunner(FakeRunners.TemplateOnly.class);
    options.as(PipelineCommand.TemplateOptions.class).setTemplateLocation(template.toString());
    return options;
  }

  private <T extends PipelineOptions> T options(Class<T> type, String... extra) {
    String[] args = Stream.concat(Stream.of("--input=" + input, "--output=" + out + "/"), Stream.of(extra))
        .toArray(String[]::new);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  private void assertOnlyTheTemplateWasWritten() throws IOException {
    assertThat(Files.readString(template), containsString("ReadDocuments"));
    assertThat(filesUnder(out), empty());
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }
}
