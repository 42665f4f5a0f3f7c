package dev.bertforge.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * An input record, or a whole file, that did not become a document: where it is and why.
 *
 * <p>{@code unit} says what {@code position} counts: a {@code line} (from 1) or a Parquet {@code row} (from 0);
 * {@code file} when the whole file, or its rest, is rejected (then {@code position} is 0 and the detail says where
 * reading stopped).
 */
@DefaultCoder(RejectedRecord.RejectedRecordCoder.class)
public final class RejectedRecord implements Serializable {
  /** What {@link #position()} counts. */
  public enum Unit {
    LINE,
    ROW,
    /** The byte offset of a JSONL line in the (decompressed) file, where a line number is not known. */
    BYTE,
    FILE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_DETAIL_CHARS = 300;

  private final String file;
  private final Unit unit;
  private final long position;
  private final RejectReason reason;
  private final String detail;

  private RejectedRecord(String file, Unit unit, long position, RejectReason reason, String detail) {
    this.file = Objects.requireNonNull(file);
    this.unit = Objects.requireNonNull(unit);
    this.position = position;
    this.reason = Objects.requireNonNull(reason);
    this.detail = shorten(detail == null ? "" : detail);
  }

  public static RejectedRecord line(String file, long line, RejectReason reason, String detail) {
    return new RejectedRecord(file, Unit.LINE, line, reason, detail);
  }

  public static RejectedRecord row(String file, long row, RejectReason reason, String detail) {
    return new RejectedRecord(file, Unit.ROW, row, reason, detail);
  }

  /** The line starting at byte {@code offset} of a JSONL file. */
  public static RejectedRecord atByte(String file, long offset, RejectReason reason, String detail) {
    return new RejectedRecord(file, Unit.BYTE, offset, reason, detail);
  }

  /** The whole file, or its rest (the detail says from where). */
  public static RejectedRecord file(String file, RejectReason reason, String detail) {
    return new RejectedRecord(file, Unit.FILE, 0, reason, detail);
  }

  public String file() {
    return file;
  }

  public Unit unit() {
    return unit;
  }

  public long position() {
    return position;
  }

  public RejectReason reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  /** Where, for people: {@code /data/a.jsonl:17}, {@code /data/b.parquet row 3}, {@code /data/c.jsonl.gz}. */
  public String where() {
    switch (unit) {
      case LINE:
        return file + ":" + position;
      case ROW:
        return file + " row " + position;
      case BYTE:
        return file + " at byte " + position;
      default:
        return file;
    }
  }

  /** One line for people: where, reason, detail. */
  public String describe() {
    return where() + ": " + reason.label() + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** One JSON object: {@code {"file":…,"line"|"row"|"byte":…,"reason":…,"detail":…}} (no position for a whole file). */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("file", file);
      if (unit != Unit.FILE) {
        g.writeNumberField(unit.label(), position);
      }
      g.writeStringField("reason", reason.label());
      g.writeStringField("detail", detail);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String shorten(String s) {
    String oneLine = s.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RejectedRecord)) {
      return false;
    }
    RejectedRecord r = (RejectedRecord) o;
    return file.equals(r.file)
        && unit == r.unit
        && position == r.position
        && reason == r.reason
        && detail.equals(r.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, unit, position, reason, detail);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** A deterministic coder: file, unit, position, reason, detail. */
  public static final class RejectedRecordCoder extends AtomicCoder<RejectedRecord> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();

    public static RejectedRecordCoder of() {
      return new RejectedRecordCoder();
    }

    @Override
    public void encode(RejectedRecord r, OutputStream out) throws IOException {
      STRING.encode(r.file, out);
      out.write(r.unit.ordinal());
      LONG.encode(r.position, out);
      out.write(r.reason.ordinal());
      STRING.encode(r.detail, out);
    }

    @Override
    public RejectedRecord decode(InputStream in) throws IOException {
      String file = STRING.decode(in);
      Unit unit = Unit.values()[in.read()];
      long position = LONG.decode(in);
      RejectReason reason = RejectReason.values()[in.read()];
      return new RejectedRecord(file, unit, position, reason, STRING.decode(in));
    }
  }
}
