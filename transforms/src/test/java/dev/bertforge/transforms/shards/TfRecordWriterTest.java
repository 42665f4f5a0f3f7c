package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordWriterTest {
  @TempDir Path temp;

  @Test
  void crc32cAndMaskMatchTheStandardCheckValue() {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720 check value); masked as TensorFlow's crc32c::Mask does
    int crc = 0xE3069283;
    int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    assertThat(TfRecordWriter.maskedCrc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9), equalTo(masked));
  }

  @Test
  void beamTfRecordIoReadsWhatWeWrite() throws Exception {
    Path plain = temp.resolve("plain.tfrecord");
    Path gzip = temp.resolve("zipped.tfrecord.gz");
    try (OutputStream out = Files.newOutputStream(plain)) {
      write(out);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      write(out);
    }
    TestPipeline p = Fixtures.pipeline();
    PCollection<String> fromPlain = asStrings(p.apply("Plain", TFRecordIO.read().from(plain.toString())));
    PCollection<String> fromGzip =
        asStrings(p.apply("Gzip", TFRecordIO.read().from(gzip.toString()).withCompression(Compression.GZIP)));
    PAssert.that(fromPlain).containsInAnyOrder("first", "", "third record");
    PAssert.that(fromGzip).containsInAnyOrder("first", "", "third record");
    p.run().waitUntilFinish();
    assertThat(TokenShardReader.records(plain).stream().map(String::new).toList(), contains("first", "", "third record"));
  }

  private static void write(OutputStream out) throws Exception {
    TfRecordWriter writer = new TfRecordWriter(out);
    for (String s : List.of("first", "", "third record")) {
      writer.write(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static PCollection<String> asStrings(PCollection<byte[]> records) {
    return records.apply(MapElements.into(TypeDescriptors.strings()).via(b -> new String(b, StandardCharsets.UTF_8)));
  }
}
