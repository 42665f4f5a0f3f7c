package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetDocumentsTest {
  @TempDir Path dir;

  private final TestPipeline pipeline = Pipelines.forTest();

  /** The committed file that pyarrow wrote (see make_pyarrow_sample.py), copied into the test's directory. */
  private Path pyarrowSample(String name) {
    try {
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(getClass().getResource("/parquet/pyarrow-sample.parquet").toURI()), target);
      return target;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What pyarrow read from the sample: row, id, text (null for the null text). */
  private static List<JsonNode> pyarrowExpected() {
    try {
      List<JsonNode> rows = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : new String(
              ParquetDocumentsTest.class.getResourceAsStream("/parquet/pyarrow-sample.expected.jsonl").readAllBytes(),
              StandardCharsets.UTF_8).split("\n")) {
        rows.add(json.readTree(line));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PCollection<String> idsAndTexts(PCollection<Document> documents, String name) {
    return documents.apply(name, MapElements.into(TypeDescriptors.strings()).via(d -> d.id() + "=" + d.text()));
  }

  @Test
  void readsTheFilePyarrowWroteWithPathRowIdsOrItsIdColumn() {
    pyarrowSample("in/pyarrow-sample.parquet");
    List<String> byRow = new ArrayList<>();
    List<String> byId = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (JsonNode row : pyarrowExpected()) {
      JsonNode text = row.get("text");
      if (text.isNull()) {
        rejected.add("row " + row.get("row").asLong() + " missing_text");
      } else if (!text.asText().isBlank()) {
        byRow.add("pyarrow-sample.parquet:" + row.get("row").asLong() + "=" + text.asText());
        byId.add(row.get("id").asLong() + "=" + text.asText());
      }
    }
    ReadDocuments.Result read = pipeline.apply("ByRow", ReadDocuments.from(dir + "/in/*.parquet").withoutRecords());
    PAssert.that(idsAndTexts(read.documents(), "RowIds")).containsInAnyOrder(byRow);
    PAssert.that(read.rejected().apply(MapElements.into(TypeDescriptors.strings())
            .via(r -> "row " + r.position() + " " + r.reason().label())))
        .containsInAnyOrder(rejected);
    PAssert.thatSingleton(read.files().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .isEqualTo(byRow.size() + "+1+1");
    ReadDocuments.Result withIds =
        pipeline.apply("ById", ReadDocuments.from(dir + "/in/*.parquet").withIdField("id"));
    PAssert.that(idsAndTexts(withIds.documents(), "FieldIds")).containsInAnyOrder(byId);
    pipeline.run().waitUntilFinish();
    assertThat(read.format().parquetCodec(), equalTo("SNAPPY"));
  }

  @Test
  void recordFieldsReadEachColumnOfThePyarrowFileByKind() {
    // the fields finetune reads labels and text pairs from: as pyarrow wrote them (make_pyarrow_sample.py)
    pyarrowSample("in/pyarrow-sample.parquet");
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/*.parquet").withIdField("id"));
    RecordFields fields = RecordFields.of(read.format());
    PAssert.that(read.documents().apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.id() + " "
            + fieldValues(fields, d.record(), "id", "title", "flag", "tags", "meta", "absent"))))
        .containsInAnyOrder(
            "100 id=INTEGER:100 title=STRING:title 0 flag=BOOLEAN:true tags=OTHER:a group meta=OTHER:a group "
                + "absent=MISSING:",
            "101 id=INTEGER:101 title=NULL: flag=BOOLEAN:false tags=OTHER:a group meta=OTHER:a group absent=MISSING:",
            "103 id=INTEGER:103 title=NULL: flag=BOOLEAN:true tags=OTHER:a group meta=OTHER:a group absent=MISSING:",
            "105 id=INTEGER:105 title=NULL: flag=BOOLEAN:false tags=OTHER:a group meta=OTHER:a group absent=MISSING:");
    pipeline.run().waitUntilFinish();
  }

  private static String fieldValues(RecordFields fields, byte[] record, String... names) {
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      RecordFields.Value value = fields.get(record, name);
      out.append(out.length() == 0 ? "" : " ").append(name).append('=').append(value.kind()).append(':')
          .append(value.text());
    }
    return out.toString();
  }

  @Test
  void roundTripKeepsTheSchemaEveryFieldTheCodecAndArrowMetadata() throws IOException {
    Path input = pyarrowSample("in/pyarrow-sample.parquet");
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/*.parquet"));
    read.documents().apply(WriteDocuments.likeInput(read).to(dir + "/out").withNumShards(1));
    pipeline.run().waitUntilFinish();

    Path output = Files2.list(dir.resolve("out"), ".parquet").get(0);
    ParquetMetadata in = footer(input);
    ParquetMetadata out = footer(output);
    assertThat(out.getFileMetaData().getSchema(), equalTo(in.getFileMetaData().getSchema()));
    assertThat(out.getBlocks().get(0).getColumns().get(0).getCodec().name(), equalTo("SNAPPY"));
    assertThat(out.getFileMetaData().getKeyValueMetaData(), hasKey("ARROW:schema"));
    assertThat(out.getFileMetaData().getKeyValueMetaData().get("ARROW:schema"),
        equalTo(in.getFileMetaData().getKeyValueMetaData().get("ARROW:schema")));
    // every kept row, every column, as the input had it (rows 2 and 4 have null and empty text: not documents)
    List<String> expected = rows(input);
    expected.remove(4);
    expected.remove(2);
    assertThat(rows(output), equalTo(sorted(expected)));
  }

  @Test
  void copyRecordsCopiesTheChosenRowsWithSchemaCodecAndMetadataSkippingRowGroups() throws IOException {
    Path sample = pyarrowSample("in/pyarrow-sample.parquet");
    Path many = dir.resolve("in/many.parquet");
    writeSmall(many, 300, 2048, null);
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/*.parquet").withoutRecords().withOrigins());
    read.documents()
        .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via(d -> KV.of(d.file(), d.position())))
        .apply(Filter.by(origin -> origin.getValue() % 7 == 3 || origin.getValue() == 0))
        .apply(CopyRecords.of(read.format()).to(dir + "/out"));
    pipeline.run().waitUntilFinish();

    for (Path input : List.of(sample, many)) {
      Path output = dir.resolve("out").resolve(input.getFileName());
      List<String> all = rowsInOrder(input);
      List<String> expected = new ArrayList<>();
      for (int row = 0; row < all.size(); row++) {
        if (row % 7 == 3 || row == 0) {
          expected.add(all.get(row));
        }
      }
      assertThat(rowsInOrder(output), equalTo(expected));
      ParquetMetadata in = footer(input);
      ParquetMetadata out = footer(output);
      assertThat(out.getFileMetaData().getSchema(), equalTo(in.getFileMetaData().getSchema()));
      assertThat(out.getBlocks().get(0).getColumns().get(0).getCodec(),
          equalTo(in.getBlocks().get(0).getColumns().get(0).getCodec()));
    }
    assertThat(footer(dir.resolve("out/pyarrow-sample.parquet")).getFileMetaData().getKeyValueMetaData()
            .get("ARROW:schema"),
        equalTo(footer(sample).getFileMetaData().getKeyValueMetaData().get("ARROW:schema")));
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
      return reader.getFooter();
    }
  }

  /** Every row as Parquet's example Group prints it (all columns, nested values included), sorted. */
  private static List<String> rows(Path file) throws IOException {
    List<String> rows = rowsInOrder(file);
    rows.sort(null);
    return rows;
  }

  private static List<String> rowsInOrder(Path file) throws IOException {
    List<String> rows = new ArrayList<>();
    try (org.apache.parquet.hadoop.ParquetReader<Group> reader =
        org.apache.parquet.hadoop.ParquetReader.builder(
                new org.apache.parquet.hadoop.example.GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toString()))
            .build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static final MessageType SMALL =
      MessageTypeParser.parseMessageType("message doc { required int64 n; optional binary text (STRING); }");

  /** A Parquet file of {@code rows} rows (text "row i") in row groups of about {@code rowGroupBytes}. */
  private static void writeSmall(Path file, int rows, int rowGroupBytes, byte[] badTextAtRow3) throws IOException {
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toString()))
            .withType(SMALL)
            .withRowGroupSize(rowGroupBytes)
            .withPageSize(1024)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(SMALL);
      for (int i = 0; i < rows; i++) {
        Group row = groups.newGroup().append("n", (long) i);
        if (i == 3 && badTextAtRow3 != null) {
          row.add("text", Binary.fromConstantByteArray(badTextAtRow3));
        } else {
          row.add("text", "row " + i + " " + "z".repeat(i % 40));
        }
        writer.write(row);
      }
    }
  }

  @Test
  void badParquetInputIsRejectedWithItsReason() throws IOException {
    pyarrowSample("a/sample.parquet");
    Files2.writeBytes(dir.resolve("b/corrupt.parquet"), "PAR1 this is not a parquet file".getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir.resolve("c"));
    writeSmall(dir.resolve("c/invalid-utf8.parquet"), 6, 1 << 20, new byte[] {'b', 'a', (byte) 0xc3, 'd'});

    ReadDocuments.Result noColumn =
        pipeline.apply("NoColumn", ReadDocuments.from(dir + "/a/*.parquet").withTextField("body"));
    ReadDocuments.Result notString =
        pipeline.apply("NotString", ReadDocuments.from(dir + "/a/*.parquet").withTextField("tags"));
    ReadDocuments.Result corrupt = pipeline.apply("Corrupt", ReadDocuments.from(dir + "/b/*.parquet"));
    ReadDocuments.Result invalid = pipeline.apply("Invalid", ReadDocuments.from(dir + "/c/*.parquet"));
    PAssert.that(noColumn.documents()).empty();
    PAssert.thatSingleton(noColumn.rejected()).satisfies(r -> {
      assertThat(r.reason(), equalTo(RejectReason.MISSING_TEXT));
      assertThat(r.detail(), containsString("no column 'body' (columns: id, text, title"));
      return null;
    });
    PAssert.thatSingleton(notString.rejected()).satisfies(r -> {
      assertThat(r.reason(), equalTo(RejectReason.TEXT_NOT_STRING));
      return null;
    });
    PAssert.thatSingleton(corrupt.rejected()).satisfies(r -> {
      assertThat(r.reason(), equalTo(RejectReason.UNREADABLE_FILE));
      assertThat(r.unit(), equalTo(RejectedRecord.Unit.FILE));
      return null;
    });
    String invalidWhere = dir + "/c/invalid-utf8.parquet row 3";
    PAssert.thatSingleton(invalid.rejected()).satisfies(r -> {
      assertThat(r.reason(), equalTo(RejectReason.INVALID_UTF8));
      assertThat(r.where(), equalTo(invalidWhere));
      return null;
    });
    PAssert.thatSingleton(invalid.files().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.documents() + "+" + f.rejected() + "+" + f.blank())))
        .isEqualTo("5+1+0");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aFileWithAnotherSchemaIsRejectedWhenRecordsAreKept() throws IOException {
    pyarrowSample("in/a.parquet");
    writeSmall(dir.resolve("in/b.parquet"), 3, 1 << 20, null);
    ReadDocuments.Result kept = pipeline.apply("Kept", ReadDocuments.from(dir + "/in/*.parquet"));
    PAssert.that(kept.rejected().apply("Reason", MapElements.into(TypeDescriptors.strings())
            .via(r -> r.file().replaceAll(".*/", "") + " " + r.reason().label())))
        .containsInAnyOrder("a.parquet missing_text", "b.parquet schema_mismatch");
    ReadDocuments.Result textOnly = pipeline.apply("TextOnly", ReadDocuments.from(dir + "/in/*.parquet").withoutRecords());
    PAssert.that(textOnly.rejected().apply("Reasons", MapElements.into(TypeDescriptors.strings())
            .via(r -> r.reason().label())))
        .containsInAnyOrder("missing_text"); // only a.parquet's null text
    pipeline.run().waitUntilFinish();
  }

  @Test
  void splitAndResumedReadsKeepRowNumbersExact() throws IOException {
    Files.createDirectories(dir.resolve("in"));
    writeSmall(dir.resolve("in/many.parquet"), 3000, 2048, null);
    assertThat(footer(dir.resolve("in/many.parquet")).getBlocks().size() > 10, equalTo(true));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      expected.add("many.parquet:" + i + "=row " + i + " " + "z".repeat(i % 40));
    }
    ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(dir + "/in/many.parquet").withoutRecords());
    PAssert.that(idsAndTexts(read.documents(), "Ids")).containsInAnyOrder(expected);
    ReadDocuments.Result parts =
        pipeline.apply("Parts", ReadDocuments.from(dir + "/in/many.parquet").withSplitBytes(3000).withoutRecords());
    PAssert.that(idsAndTexts(parts.documents(), "PartIds")).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }
}
