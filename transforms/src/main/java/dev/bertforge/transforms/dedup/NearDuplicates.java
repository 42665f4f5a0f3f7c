package dev.bertforge.transforms.dedup;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.Verification;
import dev.bertforge.transforms.group.Shards;
import dev.bertforge.transforms.io.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes near-duplicate documents: MinHash signatures → LSH band keys → candidate pairs → verification →
 * connected components → the smallest id of each cluster is kept.
 *
 * <pre>{@code
 * DedupResult<Document> near = documents.apply(NearDuplicates.create().withThreshold(0.8));
 * near.kept();      // PCollection<Document>
 * near.clusters();  // PCollection<KV<id, kept id>> for every member of every cluster of two or more
 * }</pre>
 *
 * <p><b>Similarity.</b> Jaccard similarity of word n-gram shingle sets ({@link Shingler}: lowercased, tokens are
 * runs of letters, digits and underscore, {@link #withNgramSize ngramSize} tokens per shingle, default 5).
 * Documents without any token are passed through untouched (exact deduplication handles them).
 *
 * <p><b>Signatures and LSH.</b> {@link #withNumPerm numPerm} (default 256) SuperMinHash components of 32 bits
 * ({@link MinHasher}, seeded by {@link #withSeed seed}); bands × rows from datasketch's {@code optimal_param} for
 * {@link #withThreshold threshold} (default 0.7 → 25 × 10) unless set with {@link #withBands}. Every bucket of
 * k documents gives k-1 candidate pairs, each member paired with the bucket's smallest id (a star, never k²).
 *
 * <p><b>Verification</b> ({@link #withVerification}): {@link Verification#SIGNATURE} (default), {@link
 * Verification#EXACT} or {@link Verification#NONE}; see {@link Verification} for the trade-off. The two sides of a
 * pair meet by joining on ids; nothing is gathered on one worker.
 *
 * <p><b>Clusters</b> are the connected components of the confirmed pairs ({@link ConnectedComponents}); the kept
 * document is the component's smallest id, so every run and runner gives the same output. Note that clustering is
 * transitive: two members of a cluster can be less similar than the threshold if a chain of similar documents
 * links them.
 *
 * <p><b>Counters</b> (namespace {@code NearDuplicates}): {@code near_documents}, {@code near_without_tokens},
 * {@code near_candidate_pairs}, {@code near_verified_pairs}, {@code near_rejected_pairs}, {@code near_removed},
 * {@code near_clusters}; distribution {@code near_bucket_size}.
 */
@AutoValue
public abstract class NearDuplicates extends PTransform<PCollection<Document>, DedupResult<Document>> {
  public static final String DOCUMENTS = "near_documents";
  public static final String WITHOUT_TOKENS = "near_without_tokens";
  public static final String CANDIDATE_PAIRS = "near_candidate_pairs";
  public static final String VERIFIED_PAIRS = "near_verified_pairs";
  public static final String REJECTED_PAIRS = "near_rejected_pairs";
  public static final String REMOVED = "near_removed";
  public static final String CLUSTERS = "near_clusters";
  public static final String BUCKET_SIZE = "near_bucket_size";

  private static final KvCoder<String, byte[]> PAYLOAD_CODER = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());
  private static final KvCoder<String, KV<String, byte[]>> ROUTED_CODER =
      KvCoder.of(StringUtf8Coder.of(), PAYLOAD_CODER);
  private static final long ENTRIES_PER_SHARD = 250_000;

  public abstract int ngramSize();

  public abstract int numPerm();

  public abstract double threshold();

  @Nullable
  abstract LshBands explicitBands();

  public abstract Verification verification();

  public abstract long seed();

  public abstract int ccRounds();

  public abstract long documentsPerShard();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setNgramSize(int ngramSize);

    abstract Builder setNumPerm(int numPerm);

    abstract Builder setThreshold(double threshold);

    abstract Builder setExplicitBands(LshBands bands);

    abstract Builder setVerification(Verification verification);

    abstract Builder setSeed(long seed);

    abstract Builder setCcRounds(int ccRounds);

    abstract Builder setDocumentsPerShard(long documentsPerShard);

    abstract NearDuplicates build();
  }

  /** 5-gram shingles, 256 permutations, threshold 0.7, optimal bands, signature verification, seed 42. */
  public static NearDuplicates create() {
    return new AutoValue_NearDuplicates.Builder()
        .setNgramSize(5)
        .setNumPerm(256)
        .setThreshold(0.7)
        .setVerification(Verification.SIGNATURE)
        .setSeed(42)
        .setCcRounds(ConnectedComponents.create().rounds())
        .setDocumentsPerShard(5_000)
        .build();
  }

  public NearDuplicates withNgramSize(int ngramSize) {
    new Shingler(ngramSize);
    return toBuilder().setNgramSize(ngramSize).build();
  }

  public NearDuplicates withNumPerm(int numPerm) {
    new MinHasher(numPerm, 0);
    return toBuilder().setNumPerm(numPerm).build();
  }

  public NearDuplicates withThreshold(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    return toBuilder().setThreshold(threshold).build();
  }

  /** Fixed LSH bands instead of the optimal ones for the threshold; bands × rows must not exceed numPerm. */
  public NearDuplicates withBands(int bands, int rows) {
    return toBuilder().setExplicitBands(new LshBands(bands, rows)).build();
  }

  public NearDuplicates withVerification(Verification verification) {
    return toBuilder().setVerification(java.util.Objects.requireNonNull(verification, "verification")).build();
  }

  public NearDuplicates withSeed(long seed) {
    return toBuilder().setSeed(seed).build();
  }

  /** Unrolled large-star/small-star rounds of {@link ConnectedComponents} (default 6). */
  public NearDuplicates withCcRounds(int ccRounds) {
    ConnectedComponents.create().withRounds(ccRounds);
    return toBuilder().setCcRounds(ccRounds).build();
  }

  /** About how many documents one worker joins in memory at a time (default 5 000). */
  public NearDuplicates withDocumentsPerShard(long documentsPerShard) {
    if (documentsPerShard < 1) {
      throw new IllegalArgumentException("documentsPerShard must be positive, got " + documentsPerShard);
    }
    return toBuilder().setDocumentsPerShard(documentsPerShard).build();
  }

  /** The LSH bands in use: the explicit ones, else datasketch's optimum for threshold and numPerm. */
  public LshBands bands() {
    return explicitBands() != null ? explicitBands() : LshBands.optimal(threshold(), numPerm());
  }

  @Override
  public DedupResult<Document> expand(PCollection<Document> documents) {
    LshBands bands = bands();
    if (bands.bands() * bands.rows() > numPerm()) {
      throw new IllegalArgumentException(
          "bands x rows = " + bands.bands() + " x " + bands.rows() + " exceeds numPerm = " + numPerm());
    }
    PCollectionView<Long> documentCount =
        documents.apply("Count documents", Count.globally()).apply("Document count", View.asSingleton());

    TupleTag<KV<Long, String>> bandKeysTag = new TupleTag<>();
    TupleTag<KV<String, byte[]>> signaturesTag = new TupleTag<>();
    PCollectionTuple signed =
        documents.apply(
            "MinHash and band keys",
            ParDo.of(new SignFn(ngramSize(), numPerm(), seed(), bands, bandKeysTag, signaturesTag))
                .withOutputTags(bandKeysTag, TupleTagList.of(signaturesTag)));
    PCollection<KV<Long, String>> bandKeys =
        signed.get(bandKeysTag).setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<String, byte[]>> signatures = signed.get(signaturesTag).setCoder(PAYLOAD_CODER);

    PCollection<KV<String, byte[]>> payloads =
        verification() == Verification.EXACT
            ? documents.apply("Shingle sets by id", ParDo.of(new ShingleSetFn(ngramSize()))).setCoder(PAYLOAD_CODER)
            : signatures;
    PCollection<KV<String, String>> clusters = clusters(bandKeys, payloads, documentCount);
    PCollection<Document> kept =
        documents.apply("Drop clustered non-minima", new DropRemoved(clusters, documentCount, documentsPerShard()));
    return new DedupResult<>(documents.getPipeline(), kept, clusters);
  }

  /**
   * The clusters (KV(id, smallest id of its cluster)) of documents given by their band keys and verification
   * payloads (signatures, or shingle sets for exact verification), keyed by id; {@code count} sizes the shards.
   */
  PCollection<KV<String, String>> clusters(
      PCollection<KV<Long, String>> bandKeys, PCollection<KV<String, byte[]>> payloads, PCollectionView<Long> count) {
    PCollection<KV<String, String>> candidates =
        bandKeys
            .apply("Shard buckets", Shards.byKey(KV::getKey, count, ENTRIES_PER_SHARD / bands().bands()))
            .apply("Group buckets", Shards.group())
            .apply("Star pairs per bucket", ParDo.of(new StarPairsFn()))
            .setCoder(ConnectedComponents.EDGE_CODER);
    PCollection<KV<String, String>> pairs;
    if (verification() == Verification.NONE) {
      pairs =
          candidates
              .apply("Shard pairs", Shards.byKey(KV::getKey, count, ENTRIES_PER_SHARD))
              .apply("Group pairs", Shards.group())
              .apply("Distinct pairs", ParDo.of(new DistinctPairsFn()))
              .setCoder(ConnectedComponents.EDGE_CODER);
    } else {
      pairs = candidates.apply(
          verification() == Verification.EXACT ? "Verify by exact Jaccard" : "Verify by signature",
          verify(payloads, count));
    }
    return pairs.apply("Connected components", ConnectedComponents.create().withRounds(ccRounds()));
  }

  private Verify verify(PCollection<KV<String, byte[]>> payloads, PCollectionView<Long> count) {
    return new Verify(payloads, count, documentsPerShard(), verification(), threshold(), numPerm(), seed());
  }

  /** Shingles, signs and bands each document; documents without tokens are counted and skipped. */
  static final class SignFn extends DoFn<Document, KV<Long, String>> {
    private final Counter documents = Metrics.counter(NearDuplicates.class, DOCUMENTS);
    private final Counter withoutTokens = Metrics.counter(NearDuplicates.class, WITHOUT_TOKENS);
    private final Shingler shingler;
    private final MinHasher hasher;
    private final LshBands bands;
    private final TupleTag<KV<Long, String>> bandKeysTag;
    private final TupleTag<KV<String, byte[]>> signaturesTag;

    SignFn(
        int ngramSize,
        int numPerm,
        long seed,
        LshBands bands,
        TupleTag<KV<Long, String>> bandKeysTag,
        TupleTag<KV<String, byte[]>> signaturesTag) {
      this.bandKeysTag = bandKeysTag;
      this.shingler = new Shingler(ngramSize);
      this.hasher = new MinHasher(numPerm, seed);
      this.bands = bands;
      this.signaturesTag = signaturesTag;
    }

    @ProcessElement
    public void process(@Element Document document, MultiOutputReceiver out) {
      documents.inc();
      byte[] signature = hasher.signature(shingler.hashes(document.text()));
      if (signature == null) {
        withoutTokens.inc();
        return;
      }
      out.get(signaturesTag).output(KV.of(document.id(), signature));
      for (long key : bands.keys(hasher, signature)) {
        out.get(bandKeysTag).output(KV.of(key, document.id()));
      }
    }
  }

  /** Pairs every member of a bucket with the bucket's smallest id. */
  static final class StarPairsFn extends DoFn<KV<Integer, Iterable<KV<Long, String>>>, KV<String, String>> {
    private final Distribution bucketSize = Metrics.distribution(NearDuplicates.class, BUCKET_SIZE);

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<Long, String>>> shard, OutputReceiver<KV<String, String>> out) {
      Map<Long, List<String>> buckets = new HashMap<>();
      for (KV<Long, String> entry : shard.getValue()) {
        buckets.computeIfAbsent(entry.getKey(), k -> new ArrayList<>(1)).add(entry.getValue());
      }
      for (List<String> members : buckets.values()) {
        if (members.size() < 2) {
          continue;
        }
        bucketSize.update(members.size());
        String min = members.get(0);
        for (String id : members) {
          if (id.compareTo(min) < 0) {
            min = id;
          }
        }
        for (String id : members) {
          if (!id.equals(min)) {
            out.output(KV.of(min, id));
          }
        }
      }
    }
  }

  /** Candidate pairs found by several bands, once each. */
  static final class DistinctPairsFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, KV<String, String>> {
    private final Counter candidatePairs = Metrics.counter(NearDuplicates.class, CANDIDATE_PAIRS);
    private final Counter verifiedPairs = Metrics.counter(NearDuplicates.class, VERIFIED_PAIRS);

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, String>>> shard, OutputReceiver<KV<String, String>> out) {
      Set<KV<String, String>> seen = new HashSet<>();
      for (KV<String, String> pair : shard.getValue()) {
        if (seen.add(pair)) {
          candidatePairs.inc();
          verifiedPairs.inc();
          out.output(pair);
        }
      }
    }
  }

  /** The shingle set of each document (for exact verification), keyed by id. */
  static final class ShingleSetFn extends DoFn<Document, KV<String, byte[]>> {
    private final Shingler shingler;

    ShingleSetFn(int ngramSize) {
      this.shingler = new Shingler(ngramSize);
    }

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<KV<String, byte[]>> out) {
      long[] set = shingler.shingleSet(document.text());
      if (set.length > 0) {
        out.output(KV.of(document.id(), Fingerprints.encode(set)));
      }
    }
  }

  /**
   * Confirms candidate pairs (center, member) by joining each side's payload (signature or text) on its id: first
   * every payload is routed to the centers that asked for it, then each center compares itself with its members.
   */
  static final class Verify extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
    private final PCollection<KV<String, byte[]>> payloads;
    private final PCollectionView<Long> documentCount;
    private final long documentsPerShard;
    private final Verification verification;
    private final double threshold;
    private final int numPerm;
    private final long seed;

    Verify(
        PCollection<KV<String, byte[]>> payloads,
        PCollectionView<Long> documentCount,
        long documentsPerShard,
        Verification verification,
        double threshold,
        int numPerm,
        long seed) {
      this.payloads = payloads;
      this.documentCount = documentCount;
      this.documentsPerShard = documentsPerShard;
      this.verification = verification;
      this.threshold = threshold;
      this.numPerm = numPerm;
      this.seed = seed;
    }

    @Override
    public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> candidates) {
      // Requests keyed by the id whose payload is needed: (member -> center), and (center -> center).
      PCollection<KV<String, String>> requests =
          candidates.apply("Requests", ParDo.of(new RequestsFn())).setCoder(ConnectedComponents.EDGE_CODER);
      PCollection<KV<String, KV<String, byte[]>>> routed =
          Shards.join(
                  "Join payloads and requests",
                  payloads
                      .apply("Shard payloads", Shards.byKey(KV::getKey, documentCount, documentsPerShard)),
                  requests
                      .apply("Shard requests", Shards.byKey(KV::getKey, documentCount, documentsPerShard)))
              .apply("Route payloads to centers", ParDo.of(new RouteFn()))
              .setCoder(ROUTED_CODER);
      return routed
          .apply("Shard by center", Shards.byKey(KV::getKey, documentCount, documentsPerShard))
          .apply("Group by center", Shards.group())
          .apply("Compare", ParDo.of(new CompareFn(verification, threshold, numPerm, seed)))
          .setCoder(ConnectedComponents.EDGE_CODER);
    }
  }

  static final class RequestsFn extends DoFn<KV<String, String>, KV<String, String>> {
    @ProcessElement
    public void process(@Element KV<String, String> pair, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(pair.getValue(), pair.getKey()));
      out.output(KV.of(pair.getKey(), pair.getKey()));
    }
  }

  static final class RouteFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, KV<String, KV<String, byte[]>>> {
    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(
        @Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<KV<String, KV<String, byte[]>>> out) {
      Map<String, Set<String>> requesters = new HashMap<>();
      List<KV<String, byte[]>> payloads = new ArrayList<>();
      for (RawUnionValue value : shard.getValue()) {
        if (value.getUnionTag() == 0) {
          payloads.add((KV<String, byte[]>) value.getValue());
        } else {
          KV<String, String> request = (KV<String, String>) value.getValue();
          requesters.computeIfAbsent(request.getKey(), k -> new HashSet<>()).add(request.getValue());
        }
      }
      for (KV<String, byte[]> payload : payloads) {
        Set<String> centers = requesters.get(payload.getKey());
        if (centers != null) {
          for (String center : centers) {
            out.output(KV.of(center, payload));
          }
        }
      }
    }
  }

  /** Compares each center with its (distinct) members and keeps the pairs at or above the threshold. */
  static final class CompareFn
      extends DoFn<KV<Integer, Iterable<KV<String, KV<String, byte[]>>>>, KV<String, String>> {
    private final Counter candidatePairs = Metrics.counter(NearDuplicates.class, CANDIDATE_PAIRS);
    private final Counter verifiedPairs = Metrics.counter(NearDuplicates.class, VERIFIED_PAIRS);
    private final Counter rejectedPairs = Metrics.counter(NearDuplicates.class, REJECTED_PAIRS);
    private final Verification verification;
    private final double threshold;
    private final MinHasher hasher;

    CompareFn(Verification verification, double threshold, int numPerm, long seed) {
      this.verification = verification;
      this.threshold = threshold;
      this.hasher = new MinHasher(numPerm, seed);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, KV<String, byte[]>>>> shard,
        OutputReceiver<KV<String, String>> out) {
      Map<String, byte[]> own = new HashMap<>();
      Map<String, Map<String, byte[]>> members = new HashMap<>();
      for (KV<String, KV<String, byte[]>> routed : shard.getValue()) {
        String center = routed.getKey();
        String id = routed.getValue().getKey();
        if (id.equals(center)) {
          own.put(center, routed.getValue().getValue());
        } else {
          members.computeIfAbsent(center, k -> new HashMap<>()).put(id, routed.getValue().getValue());
        }
      }
      for (Map.Entry<String, Map<String, byte[]>> star : members.entrySet()) {
        byte[] center = own.get(star.getKey());
        long[] centerSet = verification == Verification.EXACT ? Fingerprints.decode(center) : null;
        for (Map.Entry<String, byte[]> member : star.getValue().entrySet()) {
          candidatePairs.inc();
          double similarity =
              verification == Verification.EXACT
                  ? JaccardSimilarity.of(centerSet, Fingerprints.decode(member.getValue()))
                  : hasher.similarity(center, member.getValue());
          if (similarity >= threshold) {
            verifiedPairs.inc();
            out.output(KV.of(star.getKey(), member.getKey()));
          } else {
            rejectedPairs.inc();
          }
        }
      }
    }
  }

  /** Documents minus those whose cluster is kept under another (smaller) id, joined on id. */
  static final class DropRemoved extends PTransform<PCollection<Document>, PCollection<Document>> {
    private final PCollection<KV<String, String>> clusters;
    private final PCollectionView<Long> documentCount;
    private final long documentsPerShard;

    DropRemoved(PCollection<KV<String, String>> clusters, PCollectionView<Long> documentCount, long perShard) {
      this.clusters = clusters;
      this.documentCount = documentCount;
      this.documentsPerShard = perShard;
    }

    @Override
    public PCollection<Document> expand(PCollection<Document> documents) {
      return Shards.join(
              "Join clusters on id",
              documents
                  .apply("Shard documents", Shards.byKey(Document::id, documentCount, documentsPerShard)),
              clusters
                  .apply("Shard clusters", Shards.byKey(KV::getKey, documentCount, documentsPerShard)))
          .apply("Keep", ParDo.of(new KeepFn()))
          .setCoder(Document.DocumentCoder.of());
    }
  }

  static final class KeepFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Document> {
    private final Counter removed = Metrics.counter(NearDuplicates.class, REMOVED);
    private final Counter clusters = Metrics.counter(NearDuplicates.class, CLUSTERS);

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<Document> out) {
      Set<String> dropped = new HashSet<>();
      List<Document> documents = new ArrayList<>();
      for (RawUnionValue value : shard.getValue()) {
        if (value.getUnionTag() == 0) {
          documents.add((Document) value.getValue());
        } else {
          KV<String, String> assignment = (KV<String, String>) value.getValue();
          if (assignment.getKey().equals(assignment.getValue())) {
            clusters.inc();
          } else {
            dropped.add(assignment.getKey());
          }
        }
      }
      for (Document document : documents) {
        if (dropped.contains(document.id())) {
          removed.inc();
        } else {
          out.output(document);
        }
      }
    }
  }
}
