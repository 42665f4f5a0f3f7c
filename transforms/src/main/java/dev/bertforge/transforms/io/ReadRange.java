package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The part of one file still to read: units from {@code start} (inclusive) to {@code end} (exclusive; {@link
 * #TO_END} when the end is only known by reading), where the first record has number {@code firstRecord}. A unit is
 * a line starting at a byte offset for line-based files and a row group for Parquet; carrying the record number is
 * what lets a resumed read keep {@code path:line} ids right.
 */
final class ReadRange implements Serializable {
  static final long TO_END = Long.MAX_VALUE;

  final long start;
  final long end;
  final long firstRecord;

  ReadRange(long start, long end, long firstRecord) {
    this.start = start;
    this.end = end;
    this.firstRecord = firstRecord;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadRange
        && ((ReadRange) o).start == start
        && ((ReadRange) o).end == end
        && ((ReadRange) o).firstRecord == firstRecord;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(start) * 31 + Long.hashCode(end) * 17 + Long.hashCode(firstRecord);
  }

  @Override
  public String toString() {
    return "[" + start + ", " + (end == TO_END ? "end" : end) + ") from record " + firstRecord;
  }

  /**
   * One unit that a reader claims before emitting its records: where it starts, where the next one starts and
   * that one's record number. {@code checkpointAfter} marks the units after which the reader emits its per-file
   * counts: only there may the tracker stop the read, because once a claim fails nothing can be output any more.
   */
  static final class Claim {
    static final Claim END = new Claim(TO_END, TO_END, 0, false);

    final long start;
    final long next;
    final long nextRecord;
    final boolean checkpointAfter;

    Claim(long start, long next, long nextRecord, boolean checkpointAfter) {
      this.start = start;
      this.next = next;
      this.nextRecord = nextRecord;
      this.checkpointAfter = checkpointAfter;
    }

    @Override
    public String toString() {
      return "unit at " + start + " (next at " + next + ", record " + nextRecord + ")";
    }
  }

  static final class RangeCoder extends AtomicCoder<ReadRange> {
    private static final VarLongCoder LONG = VarLongCoder.of();

    @Override
    public void encode(ReadRange r, OutputStream out) throws IOException {
      LONG.encode(r.start, out);
      LONG.encode(r.end, out);
      LONG.encode(r.firstRecord, out);
    }

    @Override
    public ReadRange decode(InputStream in) throws IOException {
      return new ReadRange(LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }
  }
}
