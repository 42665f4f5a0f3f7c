package dev.bertforge.transforms.dedup;

import com.dynatrace.hash4j.hashing.HashValue128;
import dev.bertforge.options.Verification;
import dev.bertforge.transforms.io.Document;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns documents into {@link Fingerprint}s: the exact-text key and the MinHash signature of each text (and, for
 * exact verification, its shingle set), so that the texts stop here and deduplication shuffles about 1 KB per
 * document. Documents read {@link dev.bertforge.transforms.io.ReadDocuments#withOrigins() with origins} keep them.
 */
public final class Fingerprints extends PTransform<PCollection<Document>, PCollection<Fingerprint>> {
  private final int ngramSize;
  private final int numPerm;
  private final long seed;
  private final boolean shingleSets;

  private Fingerprints(int ngramSize, int numPerm, long seed, boolean shingleSets) {
    // Fail on bad parameters when the pipeline is built, not on the workers.
    new Shingler(ngramSize);
    new MinHasher(numPerm, seed);
    this.ngramSize = ngramSize;
    this.numPerm = numPerm;
    this.seed = seed;
    this.shingleSets = shingleSets;
  }

  /** Fingerprints with the shingles, permutations and seed of {@code near}. */
  public static Fingerprints of(NearDuplicates near) {
    return new Fingerprints(near.ngramSize(), near.numPerm(), near.seed(),
        near.verification() == Verification.EXACT);
  }

  @Override
  public PCollection<Fingerprint> expand(PCollection<Document> documents) {
    return documents
        .apply("Fingerprint", ParDo.of(new FingerprintFn(ngramSize, numPerm, seed, shingleSets)))
        .setCoder(Fingerprint.FingerprintCoder.of());
  }

  static final class FingerprintFn extends DoFn<Document, Fingerprint> {
    private final Shingler shingler;
    private final MinHasher hasher;
    private final boolean shingleSets;
    private transient char[] chars;

    FingerprintFn(int ngramSize, int numPerm, long seed, boolean shingleSets) {
      this.shingler = new Shingler(ngramSize);
      this.hasher = new MinHasher(numPerm, seed);
      this.shingleSets = shingleSets;
    }

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<Fingerprint> out) {
      String text = document.text();
      if (chars == null || chars.length < text.length()) {
        chars = new char[Math.max(text.length(), chars == null ? 1 << 16 : 2 * chars.length)];
      }
      // One copy of the text into an array that both passes read (faster than String.charAt).
      text.getChars(0, text.length(), chars, 0);
      HashValue128 exact = ExactText.hash(chars, text.length());
      long[] shingles = shingler.hashes(chars, text.length(), text);
      byte[] signature = hasher.signature(shingles);
      byte[] set = shingleSets && signature != null ? encode(Shingler.distinctSorted(shingles)) : null;
      out.output(new Fingerprint(document.id(), document.file(), document.position(),
          exact.getMostSignificantBits(), exact.getLeastSignificantBits(), signature, set));
    }
  }

  /** A shingle set as 8 bytes per hash. */
  static byte[] encode(long[] set) {
    ByteBuffer buffer = ByteBuffer.allocate(set.length * Long.BYTES);
    buffer.asLongBuffer().put(set);
    return buffer.array();
  }

  static long[] decode(byte[] bytes) {
    long[] set = new long[bytes.length / Long.BYTES];
    ByteBuffer.wrap(bytes).asLongBuffer().get(set);
    return set;
  }
}
