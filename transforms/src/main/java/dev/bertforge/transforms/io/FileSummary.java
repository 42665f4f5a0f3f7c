package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What reading one file gave: documents, rejected records (a whole-file rejection counts one), blank records and
 * the documents' text bytes. For a file that was read to its end, its records = documents + rejected + blank.
 */
@DefaultCoder(FileSummary.FileSummaryCoder.class)
public final class FileSummary implements Serializable {
  private final String file;
  private final long documents;
  private final long rejected;
  private final long blank;
  private final long textBytes;

  public FileSummary(String file, long documents, long rejected, long blank, long textBytes) {
    this.file = Objects.requireNonNull(file);
    this.documents = documents;
    this.rejected = rejected;
    this.blank = blank;
    this.textBytes = textBytes;
  }

  public String file() {
    return file;
  }

  public long documents() {
    return documents;
  }

  public long rejected() {
    return rejected;
  }

  public long blank() {
    return blank;
  }

  public long textBytes() {
    return textBytes;
  }

  /** The sum of two partial summaries of the same file (a file may be read in several resumed parts). */
  public FileSummary plus(FileSummary other) {
    return new FileSummary(
        file,
        documents + other.documents,
        rejected + other.rejected,
        blank + other.blank,
        textBytes + other.textBytes);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileSummary)) {
      return false;
    }
    FileSummary s = (FileSummary) o;
    return file.equals(s.file)
        && documents == s.documents
        && rejected == s.rejected
        && blank == s.blank
        && textBytes == s.textBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, documents, rejected, blank, textBytes);
  }

  @Override
  public String toString() {
    return file + ": " + documents + " documents, " + rejected + " rejected, " + blank + " blank, "
        + textBytes + " text bytes";
  }

  public static final class FileSummaryCoder extends AtomicCoder<FileSummary> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();

    public static FileSummaryCoder of() {
      return new FileSummaryCoder();
    }

    @Override
    public void encode(FileSummary s, OutputStream out) throws IOException {
      STRING.encode(s.file, out);
      LONG.encode(s.documents, out);
      LONG.encode(s.rejected, out);
      LONG.encode(s.blank, out);
      LONG.encode(s.textBytes, out);
    }

    @Override
    public FileSummary decode(InputStream in) throws IOException {
      return new FileSummary(STRING.decode(in), LONG.decode(in), LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }
  }
}
