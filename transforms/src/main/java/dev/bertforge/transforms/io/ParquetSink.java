package dev.bertforge.transforms.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Writes each document's original Parquet row with the input's schema, codec and key-value metadata. */
final class ParquetSink implements FileIO.Sink<Document> {
  private final String schema;
  private final String codec;
  private final LinkedHashMap<String, String> metadata;
  private transient @Nullable MessageType type;
  private transient @Nullable ParquetWriter<Group> writer;

  ParquetSink(DocumentFormat format) {
    if (format.parquetSchema() == null) {
      throw new IllegalArgumentException("writing Parquet needs the input's Parquet schema");
    }
    this.schema = format.parquetSchema();
    this.codec = format.parquetCodec() == null ? "SNAPPY" : format.parquetCodec();
    this.metadata = new LinkedHashMap<>(format.parquetMetadata());
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    type = MessageTypeParser.parseMessageType(schema);
    writer =
        ExampleParquetWriter.builder(new ChannelOutputFile(channel))
            .withType(type)
            .withCompressionCodec(CompressionCodecName.valueOf(codec))
            .withExtraMetaData(Map.copyOf(metadata))
            .build();
  }

  @Override
  public void write(Document document) throws IOException {
    byte[] record = document.record();
    if (record == null) {
      throw new IllegalArgumentException(
          "document " + document.id() + " has no original Parquet row (read it without withoutRecords())");
    }
    writer.write(ParquetRows.decode(record, type));
  }

  @Override
  public void flush() throws IOException {
    writer.close(); // writes the footer; the channel stays open for Beam to close
  }
}
