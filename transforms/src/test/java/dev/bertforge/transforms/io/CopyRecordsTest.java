package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.bertforge.options.TextMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CopyRecords against what was read: the chosen records, byte for byte, in files mirroring the input. */
class CopyRecordsTest {
  @TempDir Path dir;

  private final TestPipeline pipeline = Pipelines.forTest();

  private static PCollection<KV<String, Long>> origins(ReadDocuments.Result read, String keptSuffix) {
    return read.documents()
        .apply(Filter.by(d -> d.text().endsWith(keptSuffix)))
        .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via(d -> KV.of(d.file(), d.position())));
  }

  @Test
  void jsonlRecordsAreCopiedInInputOrderIntoPartsOfBigFilesAndCompressedLikeTheInput() {
    List<String> expectedA = new ArrayList<>();
    StringBuilder a = new StringBuilder("\ufeff");
    for (int i = 0; i < 60; i++) {
      String text = "text " + i + (i % 3 == 0 ? " keep" : " drop");
      String line = "{\"id\":" + i + ",\"text\":\"" + text + "\",\"meta\":{\"n\":[" + i + ",\"\\u00e9\"]}}";
      a.append(line).append(i % 2 == 0 ? "\r\n" : "\n");
      if (i == 10) {
        a.append("\n{not json}\n");
      }
      if (i % 3 == 0) {
        expectedA.add(line);
      }
    }
    Files2.write(dir.resolve("in/a.jsonl"), a.toString());
    Files2.write(dir.resolve("in/sub/b.jsonl.gz"),
        "{\"id\":\"b0\",\"text\":\"b0 keep\",\"x\":1}\n{\"id\":\"b1\",\"text\":\"b1 drop\"}\n"
            + "{\"text\":\"b2 keep\",\"id\":\"b2\"}");
    Files2.write(dir.resolve("in/c.jsonl"), "{\"id\":\"c0\",\"text\":\"c0 drop\"}\n");

    ReadDocuments.Result read =
        pipeline.apply(ReadDocuments.from(dir + "/in/**").withIdField("id").withoutRecords().withOrigins());
    origins(read, "keep").apply(CopyRecords.of(read.format()).withPartBytes(1000).to(dir + "/out"));
    pipeline.run().waitUntilFinish();

    List<Path> parts = Files2.list(dir.resolve("out"), ".jsonl");
    int total = (a.toString().getBytes(StandardCharsets.UTF_8).length + 999) / 1000;
    List<String> copied = new ArrayList<>();
    for (Path part : parts) {
      String name = part.getFileName().toString();
      assertThat(name, name.matches("a-\\d{5}-of-" + String.format("%05d", total) + "\\.jsonl"), equalTo(true));
      copied.addAll(List.of(new String(Files2.readBytes(part), StandardCharsets.UTF_8).split("\n")));
    }
    assertThat(copied, equalTo(expectedA));
    assertThat(new String(Files2.readBytes(dir.resolve("out/sub/b.jsonl.gz")), StandardCharsets.UTF_8),
        equalTo("{\"id\":\"b0\",\"text\":\"b0 keep\",\"x\":1}\n{\"text\":\"b2 keep\",\"id\":\"b2\"}\n"));
    assertThat(Files2.list(dir.resolve("out"), "c.jsonl").isEmpty(), equalTo(true));
  }

  @Test
  void textFilesAreCopiedWholeWithoutTheirByteOrderMarkAndTextLinesLineByLine() {
    Files2.write(dir.resolve("docs/x.txt"), "\ufeffline one\nline two keep");
    Files2.write(dir.resolve("docs/y.txt.gz"), "not this one");
    Files2.write(dir.resolve("lines/l.txt"), "\ufeffa keep\r\nb\n\nc keep");

    ReadDocuments.Result files = pipeline.apply("Files", ReadDocuments.from(dir + "/docs/*").withOrigins());
    origins(files, "keep").apply("CopyFiles", CopyRecords.of(files.format()).to(dir + "/out-files"));
    ReadDocuments.Result lines =
        pipeline.apply("Lines", ReadDocuments.from(dir + "/lines/*").withTextMode(TextMode.LINE).withOrigins());
    origins(lines, "keep").apply("CopyLines", CopyRecords.of(lines.format()).to(dir + "/out-lines"));
    pipeline.run().waitUntilFinish();

    assertThat(Files2.list(dir.resolve("out-files"), ""), contains(dir.resolve("out-files/x.txt")));
    assertThat(new String(Files2.readBytes(dir.resolve("out-files/x.txt")), StandardCharsets.UTF_8),
        equalTo("line one\nline two keep"));
    assertThat(new String(Files2.readBytes(dir.resolve("out-lines/l.txt")), StandardCharsets.UTF_8),
        equalTo("a keep\nc keep\n"));
  }

  @Test
  void partNamesKeepTheExtension() {
    assertThat(CopyRecords.partName("sub/a.jsonl", 2, 10), equalTo("sub/a-00002-of-00010.jsonl"));
    assertThat(CopyRecords.partName("sub.d/noext", 0, 1), equalTo("sub.d/noext-00000-of-00001"));
  }
}
