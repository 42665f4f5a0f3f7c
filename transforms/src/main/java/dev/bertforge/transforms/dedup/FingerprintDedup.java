package dev.bertforge.transforms.dedup;

import dev.bertforge.options.Verification;
import dev.bertforge.transforms.group.Shards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
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
 * {@link ExactDuplicates} then {@link NearDuplicates} on {@link Fingerprint}s instead of documents: the same
 * decisions (the smallest id of every exact group, then of every near cluster, is kept) and the same counters, but
 * only about 1 KB per document is shuffled, never a text. With fingerprints of documents read {@link
 * dev.bertforge.transforms.io.ReadDocuments#withOrigins() with origins}, the kept ones say where their records
 * are, so that the input's records can be copied ({@link dev.bertforge.transforms.io.CopyRecords}) instead of
 * carried through the pipeline.
 *
 * <pre>{@code
 * PCollection<Fingerprint> fingerprints = documents.apply(Fingerprints.of(near));
 * DedupResult<Fingerprint> dedup = fingerprints.apply(FingerprintDedup.with(near));
 * dedup.kept();      // PCollection<Fingerprint>: one per kept document (without signature)
 * dedup.clusters();  // PCollection<KV<id, kept id>>: exact and near clusters together (as DuplicateClusters)
 * }</pre>
 *
 * <p>Steps: one grouping by exact key (shards of {@link ExactDuplicates#documentsPerShard()} documents), which
 * also emits the representatives' LSH band keys and verification payloads; {@link NearDuplicates}' buckets,
 * verification and {@link ConnectedComponents}; one join on the representatives' ids that decides what is kept and
 * merges the clusters; one grouping by cluster to count clusters.
 */
public final class FingerprintDedup extends PTransform<PCollection<Fingerprint>, DedupResult<Fingerprint>> {
  private static final long ENTRIES_PER_SHARD = 250_000;
  private static final KvCoder<String, byte[]> PAYLOAD_CODER = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());

  private final ExactDuplicates exact;
  private final NearDuplicates near;

  private FingerprintDedup(ExactDuplicates exact, NearDuplicates near) {
    this.exact = exact;
    this.near = near;
  }

  /** Exact duplicates with default shards, then near duplicates as {@code near} says. */
  public static FingerprintDedup with(NearDuplicates near) {
    return new FingerprintDedup(ExactDuplicates.create(), Objects.requireNonNull(near, "near"));
  }

  @Override
  public DedupResult<Fingerprint> expand(PCollection<Fingerprint> fingerprints) {
    LshBands bands = near.bands();
    if (bands.bands() * bands.rows() > near.numPerm()) {
      throw new IllegalArgumentException(
          "bands x rows = " + bands.bands() + " x " + bands.rows() + " exceeds numPerm = " + near.numPerm());
    }
    PCollectionView<Long> count =
        fingerprints.apply("Count documents", Count.globally()).apply("Document count", View.asSingleton());

    TupleTag<KV<String, String>> exactClustersTag = new TupleTag<>();
    TupleTag<KV<Long, String>> bandKeysTag = new TupleTag<>();
    TupleTag<KV<String, byte[]>> payloadsTag = new TupleTag<>();
    TupleTag<Fingerprint> representativesTag = new TupleTag<>();
    PCollectionTuple grouped =
        fingerprints
            .apply("Shard by exact key", Shards.byKey(Fingerprint::exactShardKey, count, exact.documentsPerShard()))
            .apply("Group exact shards", Shards.group())
            .apply("Keep smallest id per text",
                ParDo.of(new ExactGroupFn(bands, near.numPerm(), near.seed(), near.verification(), exactClustersTag,
                        bandKeysTag, payloadsTag, representativesTag))
                    .withOutputTags(exactClustersTag,
                        TupleTagList.of(bandKeysTag).and(payloadsTag).and(representativesTag)));
    PCollection<KV<String, String>> exactClusters = grouped.get(exactClustersTag).setCoder(ConnectedComponents.EDGE_CODER);
    PCollection<KV<Long, String>> bandKeys =
        grouped.get(bandKeysTag).setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<String, byte[]>> payloads = grouped.get(payloadsTag).setCoder(PAYLOAD_CODER);
    PCollection<Fingerprint> representatives =
        grouped.get(representativesTag).setCoder(Fingerprint.FingerprintCoder.of());

    PCollection<KV<String, String>> nearClusters = near.clusters(bandKeys, payloads, count);

    TupleTag<KV<String, String>> clustersTag = new TupleTag<>();
    TupleTag<Fingerprint> keptTag = new TupleTag<>();
    PCollectionTuple decided =
        Shards.join(
                "Join on representative",
                exactClusters
                    .apply("Shard exact by representative", Shards.byKey(KV::getValue, count, ENTRIES_PER_SHARD)),
                nearClusters
                    .apply("Shard near by member", Shards.byKey(KV::getKey, count, ENTRIES_PER_SHARD)),
                representatives
                    .apply("Shard representatives", Shards.byKey(Fingerprint::id, count, ENTRIES_PER_SHARD)))
            .apply("Keep and merge clusters",
                ParDo.of(new DecideFn(clustersTag, keptTag)).withOutputTags(keptTag, TupleTagList.of(clustersTag)));
    PCollection<KV<String, String>> clusters = decided.get(clustersTag).setCoder(ConnectedComponents.EDGE_CODER);
    DuplicateClusters.count(clusters, count);
    return new DedupResult<>(fingerprints.getPipeline(), decided.get(keptTag).setCoder(Fingerprint.FingerprintCoder.of()),
        clusters);
  }

  /**
   * One shard of fingerprints grouped by exact key: keeps the smallest id of each text, and for it emits its band
   * keys and verification payload (what {@link NearDuplicates} needs) and itself without signature.
   */
  static final class ExactGroupFn extends DoFn<KV<Integer, Iterable<Fingerprint>>, KV<String, String>> {
    private final Counter documents = Metrics.counter(ExactDuplicates.class, ExactDuplicates.DOCUMENTS);
    private final Counter removed = Metrics.counter(ExactDuplicates.class, ExactDuplicates.REMOVED);
    private final Counter groups = Metrics.counter(ExactDuplicates.class, ExactDuplicates.CLUSTERS);
    private final Counter nearDocuments = Metrics.counter(NearDuplicates.class, NearDuplicates.DOCUMENTS);
    private final Counter withoutTokens = Metrics.counter(NearDuplicates.class, NearDuplicates.WITHOUT_TOKENS);
    private final LshBands bands;
    private final MinHasher hasher;
    private final Verification verification;
    private final TupleTag<KV<String, String>> exactClustersTag;
    private final TupleTag<KV<Long, String>> bandKeysTag;
    private final TupleTag<KV<String, byte[]>> payloadsTag;
    private final TupleTag<Fingerprint> representativesTag;

    ExactGroupFn(LshBands bands, int numPerm, long seed, Verification verification,
        TupleTag<KV<String, String>> exactClustersTag, TupleTag<KV<Long, String>> bandKeysTag,
        TupleTag<KV<String, byte[]>> payloadsTag, TupleTag<Fingerprint> representativesTag) {
      this.bands = bands;
      this.hasher = new MinHasher(numPerm, seed);
      this.verification = verification;
      this.exactClustersTag = exactClustersTag;
      this.bandKeysTag = bandKeysTag;
      this.payloadsTag = payloadsTag;
      this.representativesTag = representativesTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Fingerprint>> shard, MultiOutputReceiver out) {
      Map<ExactKey, List<Fingerprint>> byText = new HashMap<>();
      for (Fingerprint f : shard.getValue()) {
        documents.inc();
        byText.computeIfAbsent(new ExactKey(f), k -> new ArrayList<>(1)).add(f);
      }
      for (List<Fingerprint> group : byText.values()) {
        Fingerprint kept = group.get(0);
        for (Fingerprint f : group) {
          if (f.id().compareTo(kept.id()) < 0) {
            kept = f;
          }
        }
        if (group.size() > 1) {
          groups.inc();
          removed.inc(group.size() - 1);
          for (Fingerprint f : group) {
            out.get(exactClustersTag).output(KV.of(f.id(), kept.id()));
          }
        }
        represent(kept, out);
      }
    }

    private void represent(Fingerprint kept, MultiOutputReceiver out) {
      nearDocuments.inc();
      out.get(representativesTag).output(kept.withoutSketches());
      byte[] signature = kept.signature();
      if (signature == null) {
        withoutTokens.inc();
        return;
      }
      for (long key : bands.keys(hasher, signature)) {
        out.get(bandKeysTag).output(KV.of(key, kept.id()));
      }
      if (verification == Verification.SIGNATURE) {
        out.get(payloadsTag).output(KV.of(kept.id(), signature));
      } else if (verification == Verification.EXACT) {
        out.get(payloadsTag).output(KV.of(kept.id(), Objects.requireNonNull(kept.shingleSet(),
            "exact verification needs fingerprints with shingle sets (Fingerprints.of a NearDuplicates with it)")));
      }
    }
  }

  /** The 128-bit exact key as a map key. */
  private static final class ExactKey {
    private final Fingerprint fingerprint;

    ExactKey(Fingerprint fingerprint) {
      this.fingerprint = fingerprint;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ExactKey && fingerprint.sameExactText(((ExactKey) o).fingerprint);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(fingerprint.exactShardKey());
    }
  }

  /**
   * One shard of the join on representatives' ids: a representative is kept unless its near cluster is kept under
   * a smaller id; exact and near assignments merge as in {@link DuplicateClusters}.
   */
  static final class DecideFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Fingerprint> {
    private final Counter removed = Metrics.counter(NearDuplicates.class, NearDuplicates.REMOVED);
    private final Counter nearClusters = Metrics.counter(NearDuplicates.class, NearDuplicates.CLUSTERS);
    private final TupleTag<KV<String, String>> clustersTag;
    private final TupleTag<Fingerprint> keptTag;

    DecideFn(TupleTag<KV<String, String>> clustersTag, TupleTag<Fingerprint> keptTag) {
      this.clustersTag = clustersTag;
      this.keptTag = keptTag;
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, MultiOutputReceiver out) {
      Map<String, List<String>> exactMembers = new HashMap<>();
      Map<String, String> near = new HashMap<>();
      List<Fingerprint> representatives = new ArrayList<>();
      for (RawUnionValue value : shard.getValue()) {
        if (value.getUnionTag() == 0) {
          KV<String, String> assignment = (KV<String, String>) value.getValue();
          exactMembers.computeIfAbsent(assignment.getValue(), k -> new ArrayList<>()).add(assignment.getKey());
        } else if (value.getUnionTag() == 1) {
          KV<String, String> assignment = (KV<String, String>) value.getValue();
          near.put(assignment.getKey(), assignment.getValue());
          if (assignment.getKey().equals(assignment.getValue())) {
            nearClusters.inc();
          }
        } else {
          representatives.add((Fingerprint) value.getValue());
        }
      }
      DuplicateClusters.merge(near, exactMembers, out.get(clustersTag)::output);
      for (Fingerprint representative : representatives) {
        String cluster = near.get(representative.id());
        if (cluster == null || cluster.equals(representative.id())) {
          out.get(keptTag).output(representative);
        } else {
          removed.inc();
        }
      }
    }
  }
}
