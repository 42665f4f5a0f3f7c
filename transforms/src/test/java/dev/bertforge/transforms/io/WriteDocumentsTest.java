package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bertforge.options.TextMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Read, write back, compare: every field of every record, the compression and the layout survive. */
class WriteDocumentsTest {
  @TempDir Path dir;

  private static List<String> jsonlInput() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("{\"id\": \"d" + i + "\", \"text\": \"doc " + i + " caf\u00e9 \\u00e9\", \"meta\": {\"n\": " + i
          + ", \"tags\": [\"a\", null, 1.50]},   \"extra\": \"kept as written\"}");
    }
    return lines;
  }

  @ParameterizedTest
  @ValueSource(strings = {"jsonl", "jsonl.gz", "jsonl.zst"})
  void jsonlRoundTripKeepsEveryLineByteForByteAndTheCompression(String extension) {
    List<String> input = jsonlInput();
    Files2.write(dir.resolve("in/part-a." + extension), String.join("\n", input.subList(0, 25)) + "\n");
    Files2.write(dir.resolve("in/part-b." + extension), String.join("\n", input.subList(25, 40)) + "\n\n");
    TestPipeline pipeline = Pipelines.forTest();
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/*").withIdField("id"));
    read.documents().apply(WriteDocuments.likeInput(read).to(dir + "/out").withNumShards(3));
    pipeline.run().waitUntilFinish();

    assertThat(Files2.list(dir.resolve("out"), "." + extension), hasSize(3));
    List<String> expected = new ArrayList<>(input);
    expected.sort(null);
    assertThat(Files2.lines(dir.resolve("out"), "." + extension), equalTo(expected));
  }

  @Test
  void documentsWithoutARecordBecomeIdAndTextObjects() {
    Files2.write(dir.resolve("in/a.jsonl"), "{\"text\": \"x\"}\n");
    TestPipeline pipeline = Pipelines.forTest();
    DocumentFormat format = pipeline.apply(ReadDocuments.from(dir + "/in/a.jsonl")).format();
    pipeline.apply("Made", Create.of(Document.of("made-1", "Line \"one\"\nand two")))
        .apply(WriteDocuments.as(format).to(dir + "/out"));
    pipeline.run().waitUntilFinish();
    assertThat(Files2.lines(dir.resolve("out"), ".jsonl"),
        equalTo(List.of("{\"id\":\"made-1\",\"text\":\"Line \\\"one\\\"\\nand two\"}")));
  }

  @Test
  void textLinesRoundTrip() {
    Files2.write(dir.resolve("in/a.txt.gz"), "first line\n\nsecond line\r\nthird\n");
    TestPipeline pipeline = Pipelines.forTest();
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/*").withTextMode(TextMode.LINE));
    read.documents().apply(WriteDocuments.likeInput(read).to(dir + "/out"));
    pipeline.run().waitUntilFinish();
    assertThat(Files2.lines(dir.resolve("out"), ".txt.gz"), equalTo(List.of("first line", "second line", "third")));
  }

  @Test
  void textFilesRoundTripToTheSameTree() {
    Files2.write(dir.resolve("in/a.txt"), "Document A.\nTwo lines.\n");
    Files2.write(dir.resolve("in/sub/b.txt.gz"), "Document B, gzipped.");
    TestPipeline pipeline = Pipelines.forTest();
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/**"));
    read.documents().apply(WriteDocuments.likeInput(read).to(dir + "/out"));
    pipeline.run().waitUntilFinish();
    assertThat(new String(Files2.readBytes(dir.resolve("out/a.txt")), StandardCharsets.UTF_8),
        equalTo("Document A.\nTwo lines.\n"));
    assertThat(new String(Files2.readBytes(dir.resolve("out/sub/b.txt.gz")), StandardCharsets.UTF_8),
        equalTo("Document B, gzipped."));
  }

  @Test
  void rejectedRecordsAreWrittenAsJsonLines() {
    Files2.write(dir.resolve("in/a.jsonl"), "{\"text\": \"ok\"}\nnot json\n");
    TestPipeline pipeline = Pipelines.forTest();
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/a.jsonl"));
    read.rejected().apply(WriteRejected.to(dir + "/out"));
    pipeline.run().waitUntilFinish();
    List<String> lines = Files2.lines(dir.resolve("out/rejected"), ".jsonl");
    assertThat(lines, hasSize(1));
    assertThat(lines.get(0).startsWith("{\"file\":\"" + dir + "/in/a.jsonl\",\"line\":2,\"reason\":\"bad_json\""),
        equalTo(true));
  }
}
