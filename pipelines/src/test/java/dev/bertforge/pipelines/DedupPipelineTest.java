package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.DedupOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** 30 unrelated texts; a:2 and a:3 near copies of a:1; a:4 an exact (whitespace) copy of a:5; two bad lines. */
  private Path corpus() throws IOException {
    Random random = new Random(1);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 200; w++) {
        text.append("w").append(random.nextInt(5000)).append(' ');
      }
      texts.add(text.toString().trim());
    }
    texts.set(1, texts.get(0).replaceFirst("w\\d+", "changed"));
    texts.set(2, texts.get(0).replaceFirst(" w\\d+$", " other"));
    texts.set(3, texts.get(4).replace(" ", "  \n"));
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      jsonl.append(JSON.createObjectNode().put("text", texts.get(i)).put("source", "s" + i).put("n", i))
          .append('\n');
      if (i == 10) {
        jsonl.append("{not json\n{\"body\": 1}\n");
      }
    }
    Path file = dir.resolve("a.jsonl");
    Files.writeString(file, jsonl.toString());
    return file;
  }

  private static List<String> lines(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<String> out = new ArrayList<>();
      for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        out.addAll(Files.readAllLines(f));
      }
      return out.stream().sorted().collect(Collectors.toList());
    }
  }

  @Test
  void writesKeptClustersRejectedAndStatsThatAddUpAndRepeatsItself() throws Exception {
    Path input = corpus();
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Path out = dir.resolve("out" + run);
      DedupOptions options = PipelineOptionsFactory.fromArgs(
          "--input=" + input, "--output=" + out).as(DedupOptions.class);
      DedupPipeline.run(options);

      JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
      assertThat(stats.get("documents_in").asLong(), equalTo(30L));
      assertThat(stats.get("removed_exact").asLong(), equalTo(1L));
      assertThat(stats.get("removed_near").asLong(), equalTo(2L));
      assertThat(stats.get("kept").asLong(), equalTo(27L));
      assertThat(stats.get("rejected").asLong(), equalTo(2L));
      assertThat(stats.get("clusters").asLong(), equalTo(2L));
      assertThat(stats.get("largest_cluster").asLong(), equalTo(3L));
      assertThat(stats.get("b").asInt() * 100 + stats.get("r").asInt(), equalTo(2510));

      List<String> kept = lines(out.resolve("kept"));
      assertThat(kept.size(), equalTo(27));
      for (String line : kept) {
        JsonNode record = JSON.readTree(line);
        int n = record.get("n").asInt();
        assertThat(record.get("source").asText(), equalTo("s" + n)); // every field of the input survives
        assertThat(n != 1 && n != 2 && n != 4, equalTo(true));
      }
      List<String> clusters = lines(out.resolve("clusters"));
      List<String> expected = new ArrayList<>();
      // ids are path:line; line 12 and 13 are the bad records, so texts 11.. sit one line lower... only 0-4 matter.
      String path = input.getFileName().toString();
      for (int line : new int[] {1, 2, 3}) {
        expected.add("{\"id\":\"" + path + ":" + line + "\",\"cluster\":\"" + path + ":1\"}");
      }
      for (int line : new int[] {4, 5}) {
        expected.add("{\"id\":\"" + path + ":" + line + "\",\"cluster\":\"" + path + ":4\"}");
      }
      assertThat(clusters, containsInAnyOrder(expected.toArray()));
      assertThat(lines(out.resolve("rejected")).size(), equalTo(2));
      List<String> all = new ArrayList<>(kept);
      all.addAll(clusters);
      runs.add(all);
    }
    assertThat("identical output on a second run", runs.get(1), equalTo(runs.get(0)));
  }
}
