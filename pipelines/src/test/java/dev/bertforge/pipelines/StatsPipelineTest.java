package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bertforge.options.StatsOptions;
import dev.bertforge.transforms.io.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsPipelineTest {
  @TempDir Path dir;

  @Test
  void countsMatchABruteForcePassOverTheSameLines() throws IOException {
    Random random = new Random(3);
    List<Long> lengths = new ArrayList<>();
    long bytes = 0;
    StringBuilder a = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      String text = "é".repeat(random.nextInt(5)) + "w".repeat(1 + random.nextInt(2000)); // below 2048: exact buckets
      a.append("{\"text\": \"").append(text).append("\", \"n\": ").append(i).append("}\n");
      lengths.add((long) text.codePointCount(0, text.length()));
      bytes += text.getBytes(StandardCharsets.UTF_8).length;
    }
    a.append("{\"text\": 5}\nnot json\n\n");
    Files.writeString(dir.resolve("a.jsonl"), a.toString());
    Files.writeString(dir.resolve("b.jsonl"), "{\"body\": \"x\"}\n");

    StatsOptions options = PipelineOptionsFactory.fromArgs(
        "--input=" + dir + "/*.jsonl", "--output=" + dir + "/out").as(StatsOptions.class);
    StatsReport report = StatsPipeline.run(options);

    long[] sorted = lengths.stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(report.documents(), equalTo(300L));
    assertThat(report.textBytes(), equalTo(bytes));
    assertThat(report.blank(), equalTo(1L));
    assertThat(report.lengthPercentiles(), equalTo(new long[] {
        sorted[149], sorted[269], sorted[296], sorted[299]})); // nearest rank: ceil(p * n) - 1
    assertThat(report.rejectedByReason(), equalTo(Map.of("bad_json", 1L, "text_not_string", 1L, "missing_text", 1L)));
    assertThat(report.files().size(), equalTo(2));
    String json = Files.readString(dir.resolve("out/stats.json"));
    assertThat(json, containsString("\"documents\" : 300"));
    List<String> rejected = Files.readAllLines(dir.resolve("out/rejected/rejected-00000-of-00001.jsonl"));
    assertThat(rejected.size(), equalTo(3));
    assertThat(Arrays.stream(sorted).count(), equalTo(300L));
  }

  @Test
  void explainsBadInputInOneLineWhereverItIsInTheCauses() {
    Exception wrapped = new Pipeline.PipelineExecutionException(
        new RuntimeException("outer", new BadInputException("bad record at /x/a.jsonl:3: bad_json (oops)")));
    assertThat(PipelineCommand.explain(wrapped), equalTo("bad record at /x/a.jsonl:3: bad_json (oops)"));
    assertThat(PipelineCommand.explain(new IllegalStateException("first\nsecond")), equalTo("first"));
  }
}
