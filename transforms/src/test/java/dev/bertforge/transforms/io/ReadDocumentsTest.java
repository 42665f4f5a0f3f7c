package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadDocumentsTest {
  @TempDir Path dir;

  private final TestPipeline pipeline = Pipelines.forTest();

  private static PCollection<String> idsAndTexts(PCollection<Document> documents) {
    return documents.apply(
        MapElements.into(TypeDescriptors.strings()).via(d -> d.id() + "=" + d.text()));
  }

  private static PCollection<String> reasons(PCollection<RejectedRecord> rejected) {
    return rejected.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(r -> r.where().replaceAll(".*/", "") + " " + r.reason().label()));
  }

  @Test
  void readsJsonlPlainGzipAndZstdWithPathLineIds() {
    String lines = "{\"text\": \"first\", \"meta\": {\"a\": [1, 2]}}\n\n{\"text\": \"second\", \"n\": 2}\n";
    Files2.write(dir.resolve("corpus/a.jsonl"), lines);
    Files2.write(dir.resolve("corpus/sub/b.jsonl.gz"), lines);
    Files2.write(dir.resolve("corpus/c.jsonl.zst"), lines);
    Files2.write(dir.resolve("corpus/_SUCCESS"), "not input");
    Files2.write(dir.resolve("corpus/.hidden/d.jsonl"), "not input");

    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir.resolve("corpus").toString() + "/"));
    PAssert.that(idsAndTexts(read.documents()))
        .containsInAnyOrder(
            "a.jsonl:1=first", "a.jsonl:3=second",
            "sub/b.jsonl.gz:1=first", "sub/b.jsonl.gz:3=second",
            "c.jsonl.zst:1=first", "c.jsonl.zst:3=second");
    PAssert.that(read.rejected()).empty();
    PAssert.that(read.files().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.file().replaceAll(".*/", "") + " " + f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .containsInAnyOrder("a.jsonl 2+0+1", "b.jsonl.gz 2+0+1", "c.jsonl.zst 2+0+1");
    PAssert.thatSingleton(read.documents().apply(MapElements.into(TypeDescriptors.booleans())
            .via(d -> d.record() != null && new String(d.record(), StandardCharsets.UTF_8).startsWith("{\"text\"")))
            .apply(org.apache.beam.sdk.transforms.Count.perElement()))
        .isEqualTo(org.apache.beam.sdk.values.KV.of(true, 6L));
    pipeline.run().waitUntilFinish();
    assertThat(read.format().format(), equalTo(InputFormat.JSONL));
    assertThat(read.format().inputFiles(), equalTo(3));
  }

  @Test
  void everyBadJsonlRecordIsRejectedWithItsReasonAndTheCountsAddUp() {
    byte[] invalidUtf8 = "{\"text\": \"caf\u00e9 \"}".getBytes(StandardCharsets.UTF_8);
    invalidUtf8[13] = (byte) 0xc3; // é's lead byte, then a quote instead of its continuation byte
    invalidUtf8[14] = '"';
    String file =
        String.join("\n",
            "{\"text\": \"good one\"}",                 // 1 document
            "{\"text\": \"unterminated",                // 2 bad_json
            "[\"an\", \"array\"]",                      // 3 bad_json
            "{\"text\": \"x\"} trailing",               // 4 bad_json
            "{\"body\": \"no text field\"}",            // 5 missing_text
            "{\"text\": null}",                         // 6 missing_text
            "{\"text\": 42}",                           // 7 text_not_string
            "{\"text\": {\"nested\": \"object\"}}",     // 8 text_not_string
            new String(invalidUtf8, StandardCharsets.ISO_8859_1), // 9 invalid_utf8 (bytes kept as they are below)
            "{\"text\": \"lone \\ud800 surrogate\"}",   // 10 invalid_utf8
            "   ",                                      // 11 blank
            "{\"text\": \"  \"}",                       // 12 blank
            "{\"text\": \"good two\"}");                // 13 document
    Files2.writeBytes(dir.resolve("bad.jsonl"), toUtf8ExceptLine9(file, invalidUtf8));

    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/*.jsonl*"));
    PAssert.that(idsAndTexts(read.documents()))
        .containsInAnyOrder("bad.jsonl:1=good one", "bad.jsonl:13=good two");
    PAssert.that(reasons(read.rejected()))
        .containsInAnyOrder(
            "bad.jsonl:2 bad_json", "bad.jsonl:3 bad_json", "bad.jsonl:4 bad_json",
            "bad.jsonl:5 missing_text", "bad.jsonl:6 missing_text",
            "bad.jsonl:7 text_not_string", "bad.jsonl:8 text_not_string",
            "bad.jsonl:9 invalid_utf8", "bad.jsonl:10 invalid_utf8");
    PAssert.that(read.files().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.file().replaceAll(".*/", "") + " " + f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .containsInAnyOrder("bad.jsonl 2+9+2");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aTruncatedGzipKeepsTheLinesBeforeTheBreakAndRejectsTheRest() {
    writeRaw(dir.resolve("truncated.jsonl.gz"), truncatedGzip());
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/truncated.jsonl.gz"));
    PAssert.thatSingleton(read.files()).satisfies(file -> {
      assertThat(file.rejected(), equalTo(1L));
      assertThat(file.documents() > 100 && file.documents() < 2000, equalTo(true));
      return null;
    });
    PAssert.thatSingleton(read.rejected()).satisfies(bad -> {
      assertThat(bad.reason(), equalTo(RejectReason.UNREADABLE_FILE));
      assertThat(bad.detail(), containsString("at line "));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  /** The file as UTF-8, except line 9 which holds the given (invalid) bytes. */
  private static byte[] toUtf8ExceptLine9(String file, byte[] line9) {
    String[] lines = file.split("\n", -1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < lines.length; i++) {
      byte[] line = i == 8 ? line9 : lines[i].getBytes(StandardCharsets.UTF_8);
      out.write(line, 0, line.length);
      if (i < lines.length - 1) {
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  /** A gzip stream of 2000 lines of random hex (several deflate blocks), its last 2 KB cut off. */
  private static byte[] truncatedGzip() {
    java.util.Random random = new java.util.Random(7);
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      content.append("{\"text\": \"").append(Long.toHexString(random.nextLong()).repeat(1))
          .append(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)})).append("\"}\n");
    }
    byte[] bytes = readRaw(Files2.write(dir_for_gzip(), content.toString()));
    return java.util.Arrays.copyOf(bytes, bytes.length - 2048);
  }

  private static Path dir_for_gzip() {
    try {
      return java.nio.file.Files.createTempDirectory("gz").resolve("full.jsonl.gz");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void writeRaw(Path file, byte[] bytes) {
    try {
      java.nio.file.Files.write(file, bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] readRaw(Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void readsTextsLongerThanJacksonsDefaultLimit() {
    String huge = "x".repeat(21_000_000); // Jackson refuses strings over 20 M characters unless told otherwise
    Files2.write(dir.resolve("huge.jsonl"), "{\"text\": \"" + huge + "\"}\n");
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/huge.jsonl").withoutRecords());
    PAssert.that(read.rejected()).empty();
    PAssert.thatSingleton(read.documents().apply(MapElements.into(TypeDescriptors.integers()).via(d -> d.text().length())))
        .isEqualTo(21_000_000);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void idsComeFromTheIdFieldAndMissingOrBadIdsAreRejected() {
    Files2.write(dir.resolve("ids.jsonl"),
        "{\"id\": \"doc-a\", \"text\": \"a\"}\n{\"id\": 7, \"text\": \"b\"}\n{\"text\": \"no id\"}\n"
            + "{\"id\": 1.5, \"text\": \"float id\"}\n");
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/ids.jsonl").withIdField("id"));
    PAssert.that(idsAndTexts(read.documents())).containsInAnyOrder("doc-a=a", "7=b");
    PAssert.that(reasons(read.rejected())).containsInAnyOrder("ids.jsonl:3 missing_id", "ids.jsonl:4 bad_id");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aDuplicateIdStopsTheRunNamingBothPlaces() {
    Files2.write(dir.resolve("a.jsonl"), "{\"id\": \"x\", \"text\": \"one\"}\n{\"id\": \"y\", \"text\": \"two\"}\n");
    Files2.write(dir.resolve("b.jsonl"), "{\"id\": \"z\", \"text\": \"three\"}\n{\"id\": \"x\", \"text\": \"four\"}\n");
    pipeline.apply(ReadDocuments.from(dir + "/*.jsonl").withIdField("id"));
    Pipeline.PipelineExecutionException failure =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(failure.getCause().getMessage(),
        equalTo("duplicate id \"x\" at " + dir + "/a.jsonl:1 and " + dir + "/b.jsonl:2 (--idField values must be unique)"));
  }

  @Test
  void failOnBadRecordsStopsAtTheFirstWithFileAndLine() {
    Files2.write(dir.resolve("a.jsonl"), "{\"text\": \"fine\"}\n{\"text\": 3}\n");
    pipeline.apply(ReadDocuments.from(dir + "/a.jsonl").withFailOnBadRecords(true));
    Pipeline.PipelineExecutionException failure =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(failure.getCause().getMessage(),
        equalTo("bad record at " + dir + "/a.jsonl:2: text_not_string ('text' is a number)"));
  }

  @Test
  void readsTextPerFileAndPerLine() {
    Files2.write(dir.resolve("docs/one.txt"), "First document.\nIts second line.\n");
    Files2.write(dir.resolve("docs/two.md.gz"), "Second document.");
    Files2.write(dir.resolve("docs/blank.txt"), " \n\n");
    ReadDocuments.Result perFile = pipeline.apply("PerFile", ReadDocuments.from(dir + "/docs/*"));
    PAssert.that(idsAndTexts(perFile.documents()))
        .containsInAnyOrder("one.txt=First document.\nIts second line.\n", "two.md.gz=Second document.");
    ReadDocuments.Result perLine =
        pipeline.apply("PerLine", ReadDocuments.from(dir + "/docs/*").withTextMode(TextMode.LINE));
    PAssert.that(idsAndTexts(perLine.documents()))
        .containsInAnyOrder("one.txt:1=First document.", "one.txt:2=Its second line.", "two.md.gz:1=Second document.");
    pipeline.run().waitUntilFinish();
    assertThat(perFile.format().format(), equalTo(InputFormat.TEXT));
  }

  @Test
  void readsInvalidUtf8TextAsRejected() {
    Files2.writeBytes(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', (byte) 0xff, 'x', '\n'});
    ReadDocuments.Result perLine =
        pipeline.apply("PerLine", ReadDocuments.from(dir + "/bad.txt").withTextMode(TextMode.LINE));
    PAssert.that(idsAndTexts(perLine.documents())).containsInAnyOrder("bad.txt:1=ok");
    PAssert.that(reasons(perLine.rejected())).containsInAnyOrder("bad.txt:2 invalid_utf8");
    ReadDocuments.Result perFile = pipeline.apply("PerFile", ReadDocuments.from(dir + "/bad.txt"));
    PAssert.that(perFile.documents()).empty();
    PAssert.that(reasons(perFile.rejected())).containsInAnyOrder("bad.txt invalid_utf8");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void splitAndResumedReadsKeepLineNumbersExact() {
    StringBuilder content = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int line = 1; line <= 3000; line++) {
      if (line % 7 == 0) {
        content.append("\n"); // blank lines still count
        continue;
      }
      String text = "document " + line + " " + "w".repeat(line % 50);
      content.append("{\"text\": \"").append(text).append("\"}\n");
      expected.add("big.jsonl:" + line + "=" + text);
    }
    Files2.write(dir.resolve("big.jsonl"), content.toString());
    ReadDocuments.Result read =
        pipeline.apply(ReadDocuments.from(dir + "/big.jsonl").withCheckpointBytes(2000).withoutRecords());
    PAssert.that(idsAndTexts(read.documents())).containsInAnyOrder(expected);
    // the same file cut into parts of about 10 KB, each resumed every 2 KB
    ReadDocuments.Result parts = pipeline.apply("Parts",
        ReadDocuments.from(dir + "/big.jsonl").withSplitBytes(10_000).withCheckpointBytes(2000).withoutRecords());
    PAssert.that(idsAndTexts(parts.documents())).containsInAnyOrder(expected);
    PAssert.that(parts.files().apply("PartCounts", MapElements.into(TypeDescriptors.strings())
            .via(f -> f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .containsInAnyOrder(expected.size() + "+0+" + (3000 / 7));
    PAssert.that(read.documents().apply(MapElements.into(TypeDescriptors.booleans()).via(d -> d.record() == null))
            .apply(org.apache.beam.sdk.transforms.Distinct.create()))
        .containsInAnyOrder(true);
    PAssert.thatSingleton(read.files().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .isEqualTo(expected.size() + "+0+" + (3000 / 7));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anInputThatMatchesNothingOrMixesFormatsFailsWhenThePipelineIsBuilt() {
    BadInputException none =
        assertThrows(BadInputException.class, () -> pipeline.apply(ReadDocuments.from(dir + "/nothing*.jsonl")));
    assertThat(none.getMessage(), containsString("matches no files"));
    Files2.write(dir.resolve("a.jsonl"), "{\"text\": \"a\"}\n");
    Files2.write(dir.resolve("b.txt"), "b");
    BadInputException mixed =
        assertThrows(BadInputException.class, () -> pipeline.apply("Mixed", ReadDocuments.from(dir + "/*")));
    assertThat(mixed.getMessage(), containsString("mixes formats"));
  }

  @Test
  void rejectsBadBuilderArguments() {
    assertThrows(IllegalArgumentException.class, () -> ReadDocuments.from(" "));
    assertThrows(IllegalArgumentException.class, () -> ReadDocuments.from("x").withTextField(""));
    assertThrows(IllegalArgumentException.class, () -> ReadDocuments.from("x").withIdField(" "));
  }
}
