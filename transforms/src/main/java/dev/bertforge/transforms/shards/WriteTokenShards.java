package dev.bertforge.transforms.shards;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.ShardCompression;
import dev.bertforge.options.ShardMode;
import dev.bertforge.options.TokenShardOptions;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes tokenized documents as TFRecord token shards plus {@code manifest.json} (the format in DESIGN.md):
 * {@code OUT/tokens-SSSSS-of-NNNNN.tfrecord[.gz]} for training and, for {@link #validationFraction()} of the
 * documents (whole documents, chosen by a hash of their id), the same under {@code OUT/validation/}.
 *
 * <p>The content is the same for the same documents and options whatever the runner and its bundling: documents go
 * to shards by a hash of their id, each shard orders its documents by another hash and builds its rows from them
 * alone ({@link ShardRows}), and each file is written whole then renamed, so retries are harmless. With {@code
 * numShards} 0 the number of training shards is chosen for about 128 MB per shard (before compression).
 *
 * <p>Outputs the manifest files written (training first only by chance of the runner; match by name).
 */
@AutoValue
public abstract class WriteTokenShards extends PTransform<PCollection<TokenizedDocument>, PCollection<String>> {
  public static final String METRICS = "bertforge.token_shards";
  static final long TARGET_SHARD_BYTES = 128L << 20;

  abstract String output();

  abstract @Nullable String tokenizerLocation();

  abstract @Nullable PCollectionView<String> tokenizerLocationView();

  abstract ShardMode mode();

  abstract int maxSeqLen();

  abstract int numShards();

  abstract ShardCompression compression();

  abstract double validationFraction();

  abstract @Nullable PCollection<RejectedDocument> rejected();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setOutput(String output);

    abstract Builder setTokenizerLocation(String location);

    abstract Builder setTokenizerLocationView(PCollectionView<String> location);

    abstract Builder setMode(ShardMode mode);

    abstract Builder setMaxSeqLen(int maxSeqLen);

    abstract Builder setNumShards(int numShards);

    abstract Builder setCompression(ShardCompression compression);

    abstract Builder setValidationFraction(double fraction);

    abstract Builder setRejected(PCollection<RejectedDocument> rejected);

    abstract WriteTokenShards build();
  }

  /** Shards into the directory {@code output} (any Beam filesystem): pack, 1024, auto shards, no compression, 0.5%. */
  public static WriteTokenShards to(String output) {
    return new AutoValue_WriteTokenShards.Builder()
        .setOutput(output)
        .setMode(ShardMode.PACK)
        .setMaxSeqLen(1024)
        .setNumShards(0)
        .setCompression(ShardCompression.NONE)
        .setValidationFraction(0.005)
        .build();
  }

  /** The tokenizer the documents were encoded with (its sha256, vocabulary and special ids go in the manifest). */
  public WriteTokenShards withTokenizer(String location) {
    return toBuilder().setTokenizerLocation(location).build();
  }

  public WriteTokenShards withTokenizer(PCollectionView<String> location) {
    return toBuilder().setTokenizerLocationView(location).build();
  }

  public WriteTokenShards withMode(ShardMode mode) {
    return toBuilder().setMode(mode).build();
  }

  public WriteTokenShards withMaxSeqLen(int maxSeqLen) {
    return toBuilder().setMaxSeqLen(maxSeqLen).build();
  }

  /** Training shards; 0 sizes them for about 128 MB each. */
  public WriteTokenShards withNumShards(int numShards) {
    return toBuilder().setNumShards(numShards).build();
  }

  public WriteTokenShards withCompression(ShardCompression compression) {
    return toBuilder().setCompression(compression).build();
  }

  public WriteTokenShards withValidationFraction(double fraction) {
    return toBuilder().setValidationFraction(fraction).build();
  }

  /** Mode, row length, shard count, compression and validation fraction as the command line gave them. */
  public WriteTokenShards withOptions(TokenShardOptions options) {
    return withMode(options.getMode())
        .withMaxSeqLen(options.getMaxSeqLen())
        .withNumShards(options.getNumShards())
        .withCompression(options.getCompression())
        .withValidationFraction(options.getValidationFraction());
  }

  /** The documents {@link Pretokenize} rejected: counted by reason in the training manifest. */
  public WriteTokenShards withRejected(PCollection<RejectedDocument> rejected) {
    return toBuilder().setRejected(rejected).build();
  }

  @Override
  public PCollection<String> expand(PCollection<TokenizedDocument> documents) {
    check(maxSeqLen() >= 8, "maxSeqLen must be at least 8, got " + maxSeqLen());
    check(numShards() >= 0, "numShards must be 0 (automatic) or positive, got " + numShards());
    check(validationFraction() >= 0 && validationFraction() < 1,
        "validationFraction must be in [0, 1), got " + validationFraction());
    check(tokenizerLocation() != null || tokenizerLocationView() != null, "withTokenizer(...) is required");
    PCollectionView<String> tokenizer = tokenizerLocationView();
    if (tokenizer == null) {
      tokenizer = documents.getPipeline()
          .apply("TokenizerLocation", Create.of(tokenizerLocation()))
          .apply("TokenizerAsSideInput", View.asSingleton());
    }
    PCollectionView<Map<String, Long>> rejectedCounts = null;
    if (rejected() != null) {
      rejectedCounts = rejected()
          .apply("RejectReason", MapElements.into(TypeDescriptors.strings()).via(r -> r.reason().label()))
          .apply("CountRejected", Count.perElement())
          .apply("RejectedAsSideInput", View.asMap());
    }
    ResourceId directory = FileSystems.matchNewResource(output(), true);
    PCollectionList<TokenizedDocument> parts =
        documents.apply("HoldOutValidation", Partition.of(2, new HoldOut(validationFraction())));
    PCollectionList<String> manifests = PCollectionList.of(parts.get(0).apply("Train",
        new ShardSet(this, directory, "train", numShards(), tokenizer, validationFraction(), rejectedCounts)));
    if (validationFraction() > 0) {
      ResourceId validation = directory.resolve("validation", StandardResolveOptions.RESOLVE_DIRECTORY);
      manifests = manifests.and(parts.get(1).apply("Validation",
          new ShardSet(this, validation, "validation", 0, tokenizer, null, null)));
    }
    return manifests.apply("Manifests", Flatten.pCollections());
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Partition 1 (validation) for a stable fraction of document ids, 0 (training) for the rest. */
  private static final class HoldOut implements Partition.PartitionFn<TokenizedDocument> {
    private final double fraction;

    HoldOut(double fraction) {
      this.fraction = fraction;
    }

    @Override
    public int partitionFor(TokenizedDocument document, int numPartitions) {
      return StableHash.toUnitInterval(StableHash.of("validation", document.id())) < fraction ? 1 : 0;
    }
  }

  /** One directory of shards and its manifest. */
  private static final class ShardSet extends PTransform<PCollection<TokenizedDocument>, PCollection<String>> {
    private final WriteTokenShards config;
    private final ResourceId directory;
    private final String split;
    private final int fixedNumShards;
    private final PCollectionView<String> tokenizer;
    private final @Nullable Double validationFraction;
    private final @Nullable PCollectionView<Map<String, Long>> rejectedCounts;

    ShardSet(WriteTokenShards config, ResourceId directory, String split, int fixedNumShards,
        PCollectionView<String> tokenizer, @Nullable Double validationFraction,
        @Nullable PCollectionView<Map<String, Long>> rejectedCounts) {
      this.config = config;
      this.directory = directory;
      this.split = split;
      this.fixedNumShards = fixedNumShards;
      this.tokenizer = tokenizer;
      this.validationFraction = validationFraction;
      this.rejectedCounts = rejectedCounts;
    }

    @Override
    public PCollection<String> expand(PCollection<TokenizedDocument> documents) {
      PCollectionView<Integer> numShards = numShards(documents);
      PCollection<ShardSummary> summaries = documents
          .apply("AssignShard", ParDo.of(new AssignShardFn(numShards)).withSideInputs(numShards))
          .setCoder(KvCoder.of(VarIntCoder.of(), TokenizedDocument.TokenizedDocumentCoder.of()))
          .apply("GroupByShard", GroupByKey.create())
          .apply("WriteShard", ParDo.of(new WriteShardFn(directory, split, config.mode(), config.maxSeqLen(),
              config.compression(), numShards)).withSideInputs(numShards))
          .setCoder(SerializableCoder.of(ShardSummary.class));
      List<PCollectionView<?>> sideInputs = new ArrayList<>(List.of(numShards, tokenizer));
      if (rejectedCounts != null) {
        sideInputs.add(rejectedCounts);
      }
      return summaries
          .apply("CollectSummaries", Combine.globally(new ToList()))
          .setCoder(ListCoder.of(SerializableCoder.of(ShardSummary.class)))
          .apply("WriteManifest", ParDo.of(new WriteManifestFn(this, numShards)).withSideInputs(sideInputs));
    }

    /** The fixed number, or one shard per ~128 MB of estimated shard bytes (at least one). */
    private PCollectionView<Integer> numShards(PCollection<TokenizedDocument> documents) {
      if (fixedNumShards > 0) {
        return documents.getPipeline()
            .apply("NumShards", Create.of(fixedNumShards))
            .apply("NumShardsAsSideInput", View.asSingleton());
      }
      int maxSeqLen = config.maxSeqLen();
      return documents
          .apply("EstimateBytes", MapElements.into(TypeDescriptors.longs()).via(d -> estimatedBytes(d, maxSeqLen)))
          .apply("SumBytes", Sum.longsGlobally())
          .apply("NumShards", MapElements.into(TypeDescriptors.integers())
              .via(bytes -> (int) Math.max(1, (bytes + TARGET_SHARD_BYTES - 1) / TARGET_SHARD_BYTES)))
          .apply("NumShardsAsSideInput", View.asSingleton());
    }
  }

  /** About what a document adds to a shard file: its ids as varints, its length and its share of row framing. */
  static long estimatedBytes(TokenizedDocument document, int maxSeqLen) {
    long bytes = 4;
    for (int id : document.ids()) {
      bytes += TfExample.varintSize(id);
    }
    return bytes + 48L * document.ids().length / maxSeqLen;
  }

  private static final class AssignShardFn extends DoFn<TokenizedDocument, KV<Integer, TokenizedDocument>> {
    private final PCollectionView<Integer> numShards;

    AssignShardFn(PCollectionView<Integer> numShards) {
      this.numShards = numShards;
    }

    @ProcessElement
    public void processElement(ProcessContext c) {
      int shard = (int) Math.floorMod(StableHash.of("shard", c.element().id()), (long) c.sideInput(numShards));
      c.output(KV.of(shard, c.element()));
    }
  }

  private static final class WriteShardFn extends DoFn<KV<Integer, Iterable<TokenizedDocument>>, ShardSummary> {
    private final ResourceId directory;
    private final ShardMode mode;
    private final int maxSeqLen;
    private final ShardCompression compression;
    private final PCollectionView<Integer> numShards;
    private final Counter rows;
    private final Counter tokens;
    private final Counter documentsSplit;
    private final Counter tokensTruncated;

    WriteShardFn(ResourceId directory, String split, ShardMode mode, int maxSeqLen, ShardCompression compression,
        PCollectionView<Integer> numShards) {
      this.directory = directory;
      this.mode = mode;
      this.maxSeqLen = maxSeqLen;
      this.compression = compression;
      this.numShards = numShards;
      this.rows = Metrics.counter(METRICS, split + "_rows");
      this.tokens = Metrics.counter(METRICS, split + "_tokens");
      this.documentsSplit = Metrics.counter(METRICS, split + "_documents_split");
      this.tokensTruncated = Metrics.counter(METRICS, split + "_tokens_truncated");
    }

    @ProcessElement
    public void processElement(ProcessContext c) throws IOException {
      int shard = c.element().getKey();
      List<TokenizedDocument> documents = new ArrayList<>();
      c.element().getValue().forEach(documents::add);
      ShardRows contents = ShardRows.build(documents, mode, maxSeqLen, shard);
      String name = ShardFiles.shardName(shard, c.sideInput(numShards), compression);
      long bytes = ShardFiles.writeShard(directory, name, compression, contents.rows, maxSeqLen);
      rows.inc(contents.rows.size());
      tokens.inc(contents.tokens);
      documentsSplit.inc(contents.documentsSplit);
      tokensTruncated.inc(contents.tokensTruncated);
      c.output(new ShardSummary(shard, name, contents, bytes));
    }
  }

  /**
   * Writes an empty file for every shard no document went to (so the set is complete), clears temporary leftovers,
   * then writes the manifest: last, so that a manifest means the set is whole.
   */
  private static final class WriteManifestFn extends DoFn<List<ShardSummary>, String> {
    private final ResourceId directory;
    private final String split;
    private final ShardMode mode;
    private final int maxSeqLen;
    private final ShardCompression compression;
    private final PCollectionView<Integer> numShards;
    private final PCollectionView<String> tokenizer;
    private final @Nullable Double validationFraction;
    private final @Nullable PCollectionView<Map<String, Long>> rejectedCounts;

    WriteManifestFn(ShardSet set, PCollectionView<Integer> numShards) {
      this.directory = set.directory;
      this.split = set.split;
      this.mode = set.config.mode();
      this.maxSeqLen = set.config.maxSeqLen();
      this.compression = set.config.compression();
      this.numShards = numShards;
      this.tokenizer = set.tokenizer;
      this.validationFraction = set.validationFraction;
      this.rejectedCounts = set.rejectedCounts;
    }

    @ProcessElement
    public void processElement(ProcessContext c) throws IOException {
      int n = c.sideInput(numShards);
      List<ShardSummary> shards = new ArrayList<>(c.element());
      BitSet written = new BitSet(n);
      shards.forEach(s -> written.set(s.shard));
      for (int shard = written.nextClearBit(0); shard < n; shard = written.nextClearBit(shard + 1)) {
        String name = ShardFiles.shardName(shard, n, compression);
        long bytes = ShardFiles.writeShard(directory, name, compression, Collections.emptyList(), maxSeqLen);
        shards.add(new ShardSummary(shard, name, 0, 0, 0, bytes, 0, 0));
      }
      shards.sort(Comparator.comparingInt(s -> s.shard));
      ShardFiles.deleteLeftoverTempFiles(directory);
      String location = c.sideInput(tokenizer);
      TokenizerInfo info = TokenizerInfo.parse(TokenizerLocation.read(location), location);
      Map<String, Long> rejected = rejectedCounts == null ? null : c.sideInput(rejectedCounts);
      byte[] json = Manifest.toJson(split, info, mode, maxSeqLen, compression, shards, validationFraction, rejected);
      ShardFiles.writeFile(directory, ShardFiles.MANIFEST, json);
      c.output(directory.resolve(ShardFiles.MANIFEST, StandardResolveOptions.RESOLVE_FILE).toString());
    }
  }

  /** Gathers the shard summaries of a set into one list (an empty list when no shard was written). */
  private static final class ToList extends Combine.CombineFn<ShardSummary, List<ShardSummary>, List<ShardSummary>> {
    @Override
    public List<ShardSummary> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<ShardSummary> addInput(List<ShardSummary> list, ShardSummary summary) {
      list.add(summary);
      return list;
    }

    @Override
    public List<ShardSummary> mergeAccumulators(Iterable<List<ShardSummary>> lists) {
      List<ShardSummary> merged = new ArrayList<>();
      lists.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<ShardSummary> extractOutput(List<ShardSummary> list) {
      return list;
    }
  }
}
