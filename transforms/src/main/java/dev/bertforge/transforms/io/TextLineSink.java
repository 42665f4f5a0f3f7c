package dev.bertforge.transforms.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Writes each document's text as one line. */
final class TextLineSink implements FileIO.Sink<Document> {
  private transient @Nullable Writer out;

  @Override
  public void open(WritableByteChannel channel) {
    out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
  }

  @Override
  public void write(Document document) throws IOException {
    String text = document.text();
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "document " + document.id() + " spans several lines; it cannot be written as one text line");
    }
    out.write(text);
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
