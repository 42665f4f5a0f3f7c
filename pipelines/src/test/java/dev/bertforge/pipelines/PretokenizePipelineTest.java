package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.PretokenizeOptions;
import dev.bertforge.options.ShardMode;
import dev.bertforge.options.TokenShardOptionChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretokenizePipelineTest {
  private static final Path FIXTURES = Path.of("../transforms/src/test/resources/shards").toAbsolutePath().normalize();

  @TempDir Path temp;

  @Test
  void writesShardsAndRefusesToMixThemWithAnEarlierRun() throws Exception {
    Path out = temp.resolve("out");
    PretokenizePipeline.run(options(out, "--numShards=3"));
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(manifest.get("totals").get("shards").asInt(), equalTo(3));
    assertThat(manifest.get("mode").asText(), equalTo("split"));
    assertThat(Files.exists(out.resolve("rejected/pretokenize-00000-of-00001.jsonl")), equalTo(true));
    assertThat(Files.exists(out.resolve("rejected/rejected-00000-of-00001.jsonl")), equalTo(true));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PretokenizePipeline.run(options(out, "--numShards=2")));
    assertThat(e.getMessage(), containsString("already holds token shards"));
    assertThat(e.getMessage(), containsString("--overwrite=true"));

    PretokenizePipeline.run(options(out, "--numShards=2", "--overwrite=true"));
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("tokens-")).sorted().toList(),
          equalTo(List.of("tokens-00000-of-00002.tfrecord", "tokens-00001-of-00002.tfrecord")));
    }
  }

  @Test
  void parsesAndChecksShardOptions() {
    PretokenizeOptions options = parse("--mode=Truncate", "--compression=GZIP");
    assertThat(options.getMode(), equalTo(ShardMode.TRUNCATE));
    assertThat(options.getMaxSeqLen(), equalTo(1024));
    assertThat(options.getValidationFraction(), equalTo(0.005));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenShardOptionChecks.check(parse("--validationFraction=1")));
    assertThat(e.getMessage(), equalTo("--validationFraction must be at least 0 and below 1, not 1.0"));
    e = assertThrows(IllegalArgumentException.class, () -> parse("--mode=chunk"));
    assertThat(e.getMessage(), containsString("unknown mode 'chunk': expected one of pack, split, truncate"));
  }

  private PretokenizeOptions options(Path out, String... more) {
    PretokenizeOptions options = parse(Stream.concat(Stream.of(
        "--input=" + FIXTURES.resolve("docs.jsonl"), "--idField=id", "--tokenizer=" + FIXTURES.resolve("tokenizer"),
        "--output=" + out, "--mode=split", "--maxSeqLen=64"), Stream.of(more)).toArray(String[]::new));
    return options;
  }

  /** Options from {@code args}, with placeholders for the required ones they leave out. */
  private static PretokenizeOptions parse(String... args) {
    PipelineOptionsFactory.register(PretokenizeOptions.class);
    Stream<String> required = Stream.of("--input=x", "--tokenizer=t", "--output=o")
        .filter(r -> Stream.of(args).noneMatch(a -> a.startsWith(r.substring(0, r.indexOf('=') + 1))));
    return PipelineOptionsFactory.fromArgs(Stream.concat(required, Stream.of(args)).toArray(String[]::new))
        .withValidation()
        .as(PretokenizeOptions.class);
  }
}
