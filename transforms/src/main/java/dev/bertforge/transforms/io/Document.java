package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One document of the corpus: a stable, unique {@code id}, its {@code text}, and the original input record it came
 * from, so that a deduplicated corpus can be written back with every field of the input.
 *
 * <p>{@code record} holds the record in the input's own encoding (a JSONL line as UTF-8, a Parquet row in {@code
 * ParquetRows}' encoding of the file's schema); it is {@code null} for plain text (the text is the whole record),
 * for documents read with {@link ReadDocuments#withoutRecords()} and for documents made in code.
 *
 * <p>With {@link ReadDocuments#withOrigins()}, a document also knows where its record lies: {@link #file()} and
 * {@link #position()}, so that a pipeline can carry small records instead of texts and copy the chosen records
 * from the input at the end ({@link CopyRecords}).
 */
@DefaultCoder(Document.DocumentCoder.class)
public final class Document implements Serializable {
  private final String id;
  private final String text;
  private final byte[] record;
  private final String file;
  private final long position;

  private Document(String id, String text, byte[] record, String file, long position) {
    this.id = Objects.requireNonNull(id, "id");
    this.text = Objects.requireNonNull(text, "text");
    this.record = record;
    this.file = file;
    this.position = file == null ? -1 : position;
  }

  public static Document of(String id, String text) {
    return new Document(id, text, null, null, -1);
  }

  public static Document of(String id, String text, byte[] record) {
    return new Document(id, text, record, null, -1);
  }

  /** A document whose record lies at {@code position} of {@code file} (see {@link #position()}). */
  public static Document of(String id, String text, byte[] record, String file, long position) {
    if (file != null && position < 0) {
      throw new IllegalArgumentException("position must not be negative, got " + position);
    }
    return new Document(id, text, record, file, position);
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

  /** The input file the record was read from (as matched), or {@code null} when unknown. */
  public String file() {
    return file;
  }

  /**
   * Where the record starts in {@link #file()}: the byte offset of its line in the (decompressed) content for
   * JSONL and text lines, its row number (from 0) for Parquet, 0 for a text file read whole; -1 when unknown.
   */
  public long position() {
    return position;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Document)) {
      return false;
    }
    Document d = (Document) o;
    return id.equals(d.id) && text.equals(d.text) && Arrays.equals(record, d.record)
        && Objects.equals(file, d.file) && position == d.position;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, text, Arrays.hashCode(record), file, position);
  }

  @Override
  public String toString() {
    String head = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return "Document{" + id + ", \"" + head + "\"" + (record == null ? "" : ", record " + record.length + " B") + "}";
  }

  /** A compact, deterministic coder: id, text, optional record, optional file and position. */
  public static final class DocumentCoder extends AtomicCoder<Document> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<byte[]> RECORD = NullableCoder.of(ByteArrayCoder.of());
    private static final Coder<String> FILE = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Long> POSITION = VarLongCoder.of();

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
      FILE.encode(d.file, out);
      if (d.file != null) {
        POSITION.encode(d.position, out);
      }
    }

    @Override
    public Document decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      String text = STRING.decode(in);
      byte[] record = RECORD.decode(in);
      String file = FILE.decode(in);
      return new Document(id, text, record, file, file == null ? -1 : POSITION.decode(in));
    }
  }
}
