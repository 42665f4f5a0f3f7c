package dev.bertforge.transforms.shards;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.TokenEncoder;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes documents to token ids with a Hugging Face {@code tokenizer.json}: the template's [CLS]/[SEP] around each
 * document, never truncated, in batches of about {@link #batchChars()} characters. The ids are Hugging Face
 * tokenizers' own: computed in plain Java for a byte-level BPE tokenizer ({@code ByteLevelBpeEncoder}, several times
 * faster), else by DJL's {@code HuggingFaceTokenizer} (the Rust library), which spreads a batch over all cores.
 *
 * <p>Outputs {@link #TOKENIZED} documents and {@link #REJECTED} ones (blank text, nothing but [CLS]/[SEP] after
 * normalization, or a tokenizer failure), so that documents in = tokenized + rejected. The tokenizer is a location
 * on any Beam filesystem (a directory holding tokenizer.json, or the file), fixed or computed in the same pipeline
 * (a singleton side input, e.g. the directory a tokenizer-training step wrote). Input must be globally windowed.
 */
@AutoValue
public abstract class Pretokenize extends PTransform<PCollection<Document>, PCollectionTuple> {
  public static final TupleTag<TokenizedDocument> TOKENIZED = new TupleTag<TokenizedDocument>() {};
  public static final TupleTag<RejectedDocument> REJECTED = new TupleTag<RejectedDocument>() {};

  public static final String METRICS = "bertforge.pretokenize";
  private static final int DEFAULT_BATCH_CHARS = 1 << 20;
  private static final int MAX_BATCH_DOCUMENTS = 4096;

  abstract @Nullable String tokenizerLocation();

  abstract @Nullable PCollectionView<String> tokenizerLocationView();

  /** Characters buffered before a batch goes to the tokenizer. */
  abstract int batchChars();

  abstract TokenEncoder encoder();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTokenizerLocation(String location);

    abstract Builder setTokenizerLocationView(PCollectionView<String> location);

    abstract Builder setBatchChars(int chars);

    abstract Builder setEncoder(TokenEncoder encoder);

    abstract Pretokenize build();
  }

  /** Encodes with the tokenizer at {@code location} (a directory holding tokenizer.json, or the file). */
  public static Pretokenize withTokenizer(String location) {
    return new AutoValue_Pretokenize.Builder()
        .setTokenizerLocation(location)
        .setBatchChars(DEFAULT_BATCH_CHARS)
        .setEncoder(TokenEncoder.AUTO)
        .build();
  }

  /** Encodes with the tokenizer whose location the pipeline computes (a singleton side input). */
  public static Pretokenize withTokenizer(PCollectionView<String> location) {
    return new AutoValue_Pretokenize.Builder()
        .setTokenizerLocationView(location)
        .setBatchChars(DEFAULT_BATCH_CHARS)
        .setEncoder(TokenEncoder.AUTO)
        .build();
  }

  public Pretokenize withBatchChars(int chars) {
    if (chars < 1) {
      throw new IllegalArgumentException("batchChars must be positive, got " + chars);
    }
    return toBuilder().setBatchChars(chars).build();
  }

  /** {@code auto} (plain Java for byte-level BPE, DJL otherwise) or {@code djl}; the ids are the same. */
  public Pretokenize withEncoder(TokenEncoder encoder) {
    return toBuilder().setEncoder(encoder).build();
  }

  @Override
  public PCollectionTuple expand(PCollection<Document> documents) {
    if (!(documents.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("Pretokenize needs globally windowed input (a batch pipeline)");
    }
    PCollectionView<String> location = tokenizerLocationView();
    if (location == null) {
      location =
          documents.getPipeline()
              .apply("TokenizerLocation", Create.of(tokenizerLocation()))
              .apply("AsSideInput", View.asSingleton());
    }
    PCollectionTuple out =
        documents.apply(
            "Encode",
            ParDo.of(new EncodeFn(location, batchChars(), encoder()))
                .withSideInputs(location)
                .withOutputTags(TOKENIZED, TupleTagList.of(REJECTED)));
    out.get(TOKENIZED).setCoder(TokenizedDocument.TokenizedDocumentCoder.of());
    return out;
  }

  /** Buffers documents into batches and encodes each batch in one native call. */
  static final class EncodeFn extends DoFn<Document, TokenizedDocument> {
    private static final Logger LOG = LoggerFactory.getLogger(EncodeFn.class);

    private final PCollectionView<String> location;
    private final int batchChars;
    private final TokenEncoder choice;
    private final Counter encodedByDjl = Metrics.counter(METRICS, "documents_encoded_djl");
    private final Counter documentsIn = Metrics.counter(METRICS, "documents_in");
    private final Counter documentsTokenized = Metrics.counter(METRICS, "documents_tokenized");
    private final Counter tokens = Metrics.counter(METRICS, "tokens");
    private final Counter[] rejected = new Counter[RejectedDocument.Reason.values().length];

    private transient @Nullable DocumentEncoder encoder;
    private transient @Nullable String encoderLocation;
    private transient TokenizerInfo tokenizer;
    private transient List<Document> pendingDocuments;
    private transient List<Instant> pendingTimestamps;
    private transient long pendingChars;

    EncodeFn(PCollectionView<String> location, int batchChars, TokenEncoder choice) {
      this.location = location;
      this.batchChars = batchChars;
      this.choice = choice;
      for (RejectedDocument.Reason reason : RejectedDocument.Reason.values()) {
        rejected[reason.ordinal()] = Metrics.counter(METRICS, "documents_rejected_" + reason.label());
      }
    }

    /** One encoder per DoFn instance, built on first use (a side input is not readable in {@code @Setup}). */
    private void ensureEncoder(String tokenizerLocation) {
      if (tokenizerLocation.equals(encoderLocation)) {
        return;
      }
      closeEncoder();
      try {
        byte[] json = TokenizerLocation.read(tokenizerLocation);
        String source = TokenizerLocation.tokenizerJson(tokenizerLocation).toString();
        tokenizer = TokenizerInfo.parse(json, source);
        encoder = DocumentEncoder.load(json, tokenizer, choice, source);
        encoderLocation = tokenizerLocation;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the tokenizer at " + tokenizerLocation + ": " + e.getMessage(), e);
      }
    }

    @StartBundle
    public void startBundle() {
      pendingDocuments = new ArrayList<>();
      pendingTimestamps = new ArrayList<>();
      pendingChars = 0;
    }

    @ProcessElement
    public void processElement(ProcessContext c) {
      Document document = c.element();
      documentsIn.inc();
      if (document.text().isBlank()) {
        c.output(REJECTED, reject(document.id(), RejectedDocument.Reason.BLANK, ""));
        return;
      }
      ensureEncoder(c.sideInput(location));
      pendingDocuments.add(document);
      pendingTimestamps.add(c.timestamp());
      pendingChars += document.text().length();
      if (pendingChars >= batchChars || pendingDocuments.size() >= MAX_BATCH_DOCUMENTS) {
        flush((d, i) -> c.output(d), (r, i) -> c.output(REJECTED, r));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      flush(
          (d, i) -> c.output(d, pendingTimestamps.get(i), GlobalWindow.INSTANCE),
          (r, i) -> c.output(REJECTED, r, pendingTimestamps.get(i), GlobalWindow.INSTANCE));
    }

    private void flush(Emitter<TokenizedDocument> tokenizedOut, Emitter<RejectedDocument> rejectedOut) {
      if (pendingDocuments.isEmpty()) {
        return;
      }
      String[] texts = new String[pendingDocuments.size()];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = pendingDocuments.get(i).text();
      }
      int[][] ids = encodeBatchOrNull(texts);
      for (int i = 0; i < texts.length; i++) {
        String id = pendingDocuments.get(i).id();
        int[] encoding;
        if (ids != null) {
          encoding = ids[i];
        } else {
          try {
            encoding = encoder.encode(new String[] {texts[i]})[0];
            encodedByDjl.inc(encoder.encodedByDjl);
          } catch (RuntimeException | IOException e) {
            LOG.warn("document {}: the tokenizer failed: {}", id, e.toString());
            rejectedOut.emit(reject(id, RejectedDocument.Reason.ENCODE_FAILED, e.toString()), i);
            continue;
          }
        }
        checkTemplate(id, encoding);
        if (encoding.length <= 2) {
          rejectedOut.emit(reject(id, RejectedDocument.Reason.NO_TOKENS, ""), i);
          continue;
        }
        documentsTokenized.inc();
        tokens.inc(encoding.length);
        tokenizedOut.emit(TokenizedDocument.of(id, encoding), i);
      }
      pendingDocuments.clear();
      pendingTimestamps.clear();
      pendingChars = 0;
    }

    /** The batch's ids, or null when the batch failed (then each document is encoded alone to find the bad one). */
    private int @Nullable [][] encodeBatchOrNull(String[] texts) {
      try {
        int[][] ids = encoder.encode(texts);
        encodedByDjl.inc(encoder.encodedByDjl);
        return ids;
      } catch (RuntimeException | IOException e) {
        LOG.warn("a batch of {} documents failed to encode ({}); encoding them one by one", texts.length, e.toString());
        return null;
      }
    }

    private void checkTemplate(String id, int[] encoding) {
      if (encoding.length < 2 || encoding[0] != tokenizer.clsId() || encoding[encoding.length - 1] != tokenizer.sepId()) {
        throw new IllegalStateException(
            "document " + id + ": the encoding does not start with [CLS] (" + tokenizer.clsId() + ") and end with [SEP] ("
                + tokenizer.sepId() + "); does the tokenizer truncate?");
      }
    }

    private RejectedDocument reject(String id, RejectedDocument.Reason reason, String detail) {
      rejected[reason.ordinal()].inc();
      return RejectedDocument.of(id, reason, detail);
    }

    private void closeEncoder() {
      if (encoder != null) {
        encoder.close();
        encoder = null;
        encoderLocation = null;
      }
    }

    @Teardown
    public void teardown() {
      closeEncoder();
    }

    /** Emits an output made from the {@code index}-th buffered document. */
    private interface Emitter<T> {
      void emit(T value, int index);
    }
  }
}
