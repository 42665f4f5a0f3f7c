package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One document of the corpus: a stable, unique {@code id}, its {@code text}, and the original input record it came
 * from, so that a deduplicated corpus can be written back with every field of the input.
 *
 * <p>{@code record} holds the record in the input's own encoding (a JSONL line as UTF-8, a Parquet row in {@code
 * ParquetRows}' encoding of the file's schema); it is {@code null} for plain text (the text is the whole record),
 * for documents read with {@link ReadDocuments#withoutRecords()} and for documents made in code.
 */
@DefaultCoder(Document.DocumentCoder.class)
public final class Document implements Serializable {
  private final String id;
  private final String text;
  private final byte[] record;

  private Document(String id, String text, byte[] record) {
    this.id = Objects.requireNonNull(id, "id");
    this.text = Objects.requireNonNull(text, "text");
    this.record = record;
  }

  public static Document of(String id, String text) {
    return new Document(id, text, null);
  }

  public static Document of(String id, String text, byte[] record) {
    return new Document(id, text, record);
  }

  public String id() {
    return id;
  }

  public String text() {
    return text;
  }

  /** The original record's bytes in the input's encoding, or {@code null}. Do not modify the array. */
  public byte[] record() {
    return record;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Document)) {
      return false;
    }
    Document d = (Document) o;
    return id.equals(d.id) && text.equals(d.text) && Arrays.equals(record, d.record);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, text, Arrays.hashCode(record));
  }

  @Override
  public String toString() {
    String head = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return "Document{" + id + ", \"" + head + "\"" + (record == null ? "" : ", record " + record.length + " B") + "}";
  }

  /** A compact, deterministic coder: id, text, optional record. */
  public static final class DocumentCoder extends CustomCoder<Document> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<byte[]> RECORD = NullableCoder.of(ByteArrayCoder.of());

    public static DocumentCoder of() {
      return new DocumentCoder();
    }

    /** Lets {@code @DefaultCoder} find this coder, so {@code Create.of(documents)} needs no explicit coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(Document.class), of());
    }

    @Override
    public void encode(Document d, OutputStream out) throws IOException {
      STRING.encode(d.id, out);
      STRING.encode(d.text, out);
      RECORD.encode(d.record, out);
    }

    @Override
    public Document decode(InputStream in) throws IOException {
      return new Document(STRING.decode(in), STRING.decode(in), RECORD.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.emptyList();
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof DocumentCoder;
    }

    @Override
    public int hashCode() {
      return DocumentCoder.class.hashCode();
    }
  }
}
