package dev.bertforge.transforms.tokenizer;

import dev.bertforge.transforms.io.Document;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Sets a fraction of the documents aside to measure the tokenizer on text it was not trained on. A document is held
 * out when the CRC-32 of its id falls in the lowest {@code fraction} of the range: stable across runs and runners,
 * and easy to reproduce elsewhere ({@code zlib.crc32(id.encode()) < fraction * 2**32} in Python).
 */
final class HeldOut {
  static final TupleTag<Document> TRAINING = new TupleTag<>() {};
  static final TupleTag<Document> HELD_OUT = new TupleTag<>() {};

  private HeldOut() {}

  static boolean isHeldOut(String id, double fraction) {
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() < (long) (fraction * (1L << 32));
  }

  /** Sends each document to {@link #TRAINING} or {@link #HELD_OUT}. */
  static final class SplitFn extends DoFn<Document, Document> {
    private final double fraction;

    SplitFn(double fraction) {
      this.fraction = fraction;
    }

    @ProcessElement
    public void process(@Element Document document, MultiOutputReceiver out) {
      out.get(isHeldOut(document.id(), fraction) ? HELD_OUT : TRAINING).output(document);
    }
  }
}
