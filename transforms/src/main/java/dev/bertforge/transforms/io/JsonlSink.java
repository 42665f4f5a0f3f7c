package dev.bertforge.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Writes each document's original JSON line; a document without one becomes {@code {id, text}}. */
final class JsonlSink implements FileIO.Sink<Document> {
  private final String textField;
  private final String idField;
  private transient @Nullable OutputStream out;
  private transient @Nullable JsonFactory json;

  JsonlSink(DocumentFormat format) {
    this.textField = format.textField();
    this.idField = format.idField() == null ? "id" : format.idField();
  }

  @Override
  public void open(WritableByteChannel channel) {
    out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    json = new JsonFactory();
  }

  @Override
  public void write(Document document) throws IOException {
    byte[] record = document.record();
    if (record != null) {
      out.write(record);
    } else {
      try (JsonGenerator g = json.createGenerator(out)) {
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.writeStartObject();
        g.writeStringField(idField, document.id());
        g.writeStringField(textField, document.text());
        g.writeEndObject();
      }
    }
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
