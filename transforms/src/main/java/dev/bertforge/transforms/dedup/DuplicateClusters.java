package dev.bertforge.transforms.dedup;

import dev.bertforge.transforms.group.Shards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The clusters of exact deduplication followed by near deduplication, as one assignment {@code KV(id, kept id)}:
 * an exact duplicate belongs to the near cluster of the document that represented its group. The kept id stays the
 * cluster's smallest id (an exact group's representative is its smallest id, and near clusters keep their
 * smallest representative). Counts {@code clusters} and the distribution {@code cluster_size} (namespace
 * {@code DuplicateClusters}).
 */
public final class DuplicateClusters extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
  public static final String CLUSTERS = "clusters";
  public static final String CLUSTER_SIZE = "cluster_size";
  private static final long ENTRIES_PER_SHARD = 250_000;

  private final PCollection<KV<String, String>> nearClusters;

  private DuplicateClusters(PCollection<KV<String, String>> nearClusters) {
    this.nearClusters = nearClusters;
  }

  /** Applied to the exact clusters: {@code exact.clusters().apply(DuplicateClusters.thenNear(near.clusters()))}. */
  public static DuplicateClusters thenNear(PCollection<KV<String, String>> nearClusters) {
    return new DuplicateClusters(nearClusters);
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> exactClusters) {
    PCollectionView<Long> count =
        PCollectionList.of(exactClusters)
            .and(nearClusters)
            .apply("All assignments", Flatten.pCollections())
            .apply("Count assignments", Count.globally())
            .apply("Assignment count", View.asSingleton());
    PCollection<KV<String, String>> merged =
        Shards.join(
                "Join on representative",
                exactClusters
                    .apply("Shard exact by representative", Shards.byKey(KV::getValue, count, ENTRIES_PER_SHARD)),
                nearClusters
                    .apply("Shard near by member", Shards.byKey(KV::getKey, count, ENTRIES_PER_SHARD)))
            .apply("Merge", ParDo.of(new MergeFn()))
            .setCoder(ConnectedComponents.EDGE_CODER);
    count(merged, count);
    return merged;
  }

  /** Counts the clusters of {@code assignments} and their sizes (grouped by cluster in shards). */
  static void count(PCollection<KV<String, String>> assignments, PCollectionView<Long> count) {
    assignments
        .apply("Shard by cluster", Shards.byKey(KV::getValue, count, ENTRIES_PER_SHARD))
        .apply("Group clusters", Shards.group())
        .apply("Count clusters", ParDo.of(new CountFn()));
  }

  static final class MergeFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, KV<String, String>> {
    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<KV<String, String>> out) {
      Map<String, String> near = new HashMap<>();
      Map<String, List<String>> exactMembers = new HashMap<>();
      for (RawUnionValue value : shard.getValue()) {
        KV<String, String> assignment = (KV<String, String>) value.getValue();
        if (value.getUnionTag() == 0) {
          exactMembers.computeIfAbsent(assignment.getValue(), k -> new ArrayList<>()).add(assignment.getKey());
        } else {
          near.put(assignment.getKey(), assignment.getValue());
        }
      }
      merge(near, exactMembers, out::output);
    }
  }

  /**
   * The assignments of one shard: exact group members (by representative) follow their representative's near
   * cluster; near assignments of documents that represent no exact group stay as they are.
   */
  static void merge(
      Map<String, String> near, Map<String, List<String>> exactMembers, Consumer<KV<String, String>> out) {
    for (Map.Entry<String, List<String>> group : exactMembers.entrySet()) {
      String cluster = near.getOrDefault(group.getKey(), group.getKey());
      for (String member : group.getValue()) {
        out.accept(KV.of(member, cluster));
      }
    }
    for (Map.Entry<String, String> assignment : near.entrySet()) {
      if (!exactMembers.containsKey(assignment.getKey())) {
        out.accept(KV.of(assignment.getKey(), assignment.getValue()));
      }
    }
  }

  static final class CountFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, Void> {
    private final Counter clusters = Metrics.counter(DuplicateClusters.class, CLUSTERS);
    private final Distribution clusterSize = Metrics.distribution(DuplicateClusters.class, CLUSTER_SIZE);

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, String>>> shard) {
      Map<String, Long> sizes = new HashMap<>();
      for (KV<String, String> assignment : shard.getValue()) {
        sizes.merge(assignment.getValue(), 1L, Long::sum);
      }
      clusters.inc(sizes.size());
      sizes.values().forEach(clusterSize::update);
    }
  }
}
