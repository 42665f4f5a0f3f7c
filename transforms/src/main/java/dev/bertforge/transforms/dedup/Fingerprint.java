package dev.bertforge.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What deduplication needs of a document, in about 1 KB instead of its text: its id, where its record lies in the
 * input ({@link dev.bertforge.transforms.io.Document#file()} and {@code position()}, to copy it at the end), the
 * 128-bit key of its normalized text ({@link ExactText}), its MinHash signature ({@code null} for a text without
 * tokens) and, only for {@link dev.bertforge.options.Verification#EXACT exact verification}, its shingle set. Made
 * by {@link Fingerprints}.
 */
public final class Fingerprint {
  private final String id;
  private final @Nullable String file;
  private final long position;
  private final long exactHigh;
  private final long exactLow;
  private final byte @Nullable [] signature;
  private final byte @Nullable [] shingleSet;

  Fingerprint(String id, @Nullable String file, long position, long exactHigh, long exactLow,
      byte @Nullable [] signature, byte @Nullable [] shingleSet) {
    this.id = Objects.requireNonNull(id, "id");
    this.file = file;
    this.position = position;
    this.exactHigh = exactHigh;
    this.exactLow = exactLow;
    this.signature = signature;
    this.shingleSet = shingleSet;
  }

  public String id() {
    return id;
  }

  /** The input file of the document's record, or {@code null} if it was not read with origins. */
  public @Nullable String file() {
    return file;
  }

  public long position() {
    return position;
  }

  /** Whether the normalized texts of the two documents are (up to a 2⁻¹²⁸ collision) identical. */
  public boolean sameExactText(Fingerprint other) {
    return exactHigh == other.exactHigh && exactLow == other.exactLow;
  }

  /** 64 of the exact key's bits, for sharding. */
  long exactShardKey() {
    return exactHigh;
  }

  /** The MinHash signature, {@code null} when the text has no token. Do not modify the array. */
  public byte @Nullable [] signature() {
    return signature;
  }

  /** The distinct sorted shingle hashes, 8 bytes each, when made for exact verification; else {@code null}. */
  byte @Nullable [] shingleSet() {
    return shingleSet;
  }

  /** The same document without signature and shingle set: what is left to carry once they have been used. */
  Fingerprint withoutSketches() {
    return signature == null && shingleSet == null
        ? this
        : new Fingerprint(id, file, position, exactHigh, exactLow, null, null);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Fingerprint)) {
      return false;
    }
    Fingerprint f = (Fingerprint) o;
    return id.equals(f.id) && Objects.equals(file, f.file) && position == f.position && exactHigh == f.exactHigh
        && exactLow == f.exactLow && Arrays.equals(signature, f.signature) && Arrays.equals(shingleSet, f.shingleSet);
  }

  @Override
  public int hashCode() {
    return (Objects.hash(id, file, position, exactHigh, exactLow) * 31 + Arrays.hashCode(signature)) * 31
        + Arrays.hashCode(shingleSet);
  }

  @Override
  public String toString() {
    return "Fingerprint{" + id + (file == null ? "" : " at " + file + "@" + position)
        + (signature == null ? ", no tokens" : "") + "}";
  }

  /** Deterministic coder: id, file, position, exact key, signature, shingle set. */
  public static final class FingerprintCoder extends AtomicCoder<Fingerprint> {
    private static final Coder<String> ID = StringUtf8Coder.of();
    private static final Coder<String> FILE = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());

    public static FingerprintCoder of() {
      return new FingerprintCoder();
    }

    @Override
    public void encode(Fingerprint f, OutputStream out) throws IOException {
      ID.encode(f.id, out);
      FILE.encode(f.file, out);
      LONG.encode(f.position, out);
      writeLong(f.exactHigh, out);
      writeLong(f.exactLow, out);
      BYTES.encode(f.signature, out);
      BYTES.encode(f.shingleSet, out);
    }

    @Override
    public Fingerprint decode(InputStream in) throws IOException {
      return new Fingerprint(ID.decode(in), FILE.decode(in), LONG.decode(in), readLong(in), readLong(in),
          BYTES.decode(in), BYTES.decode(in));
    }

    private static void writeLong(long value, OutputStream out) throws IOException {
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
    }

    private static long readLong(InputStream in) throws IOException {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("truncated fingerprint");
        }
        value = (value << 8) | b;
      }
      return value;
    }
  }
}
