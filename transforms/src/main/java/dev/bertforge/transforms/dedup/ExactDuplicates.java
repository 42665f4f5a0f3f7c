package dev.bertforge.transforms.dedup;

import com.google.auto.value.AutoValue;
import dev.bertforge.transforms.group.Shards;
import dev.bertforge.transforms.io.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes documents whose text is identical after normalization (Unicode NFC, whitespace runs collapsed to one
 * space, trimmed: {@link ExactText}), keeping the smallest id of each group.
 *
 * <pre>{@code
 * DedupResult<Document> exact = documents.apply(ExactDuplicates.create());
 * exact.kept();      // PCollection<Document>: one document per distinct normalized text
 * exact.clusters();  // PCollection<KV<id, kept id>>: every member of every group of two or more
 * }</pre>
 *
 * <p>Documents are grouped by a 128-bit hash of the normalized text (xxh3-128; a false match needs a 2⁻¹²⁸
 * collision). Counters (namespace {@code ExactDuplicates}): {@code exact_documents}, {@code exact_removed},
 * {@code exact_clusters}. Documents of a group are held in memory together, in shards of about
 * {@link #withDocumentsPerShard documentsPerShard} documents.
 */
@AutoValue
public abstract class ExactDuplicates extends PTransform<PCollection<Document>, DedupResult<Document>> {
  public static final String DOCUMENTS = "exact_documents";
  public static final String REMOVED = "exact_removed";
  public static final String CLUSTERS = "exact_clusters";

  public abstract long documentsPerShard();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setDocumentsPerShard(long documentsPerShard);

    abstract ExactDuplicates build();
  }

  public static ExactDuplicates create() {
    return new AutoValue_ExactDuplicates.Builder().setDocumentsPerShard(5_000).build();
  }

  /** About how many documents one worker groups in memory at a time (default 5 000). */
  public ExactDuplicates withDocumentsPerShard(long documentsPerShard) {
    if (documentsPerShard < 1) {
      throw new IllegalArgumentException("documentsPerShard must be positive, got " + documentsPerShard);
    }
    return toBuilder().setDocumentsPerShard(documentsPerShard).build();
  }

  @Override
  public DedupResult<Document> expand(PCollection<Document> documents) {
    PCollectionView<Long> count =
        documents.apply("Count documents", Count.globally()).apply("Document count", View.asSingleton());
    TupleTag<Document> keptTag = new TupleTag<>();
    TupleTag<KV<String, String>> clustersTag = new TupleTag<>();
    PCollectionTuple grouped =
        documents
            .apply("Key by normalized text", ParDo.of(new TextKeyFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Document.DocumentCoder.of()))
            .apply("Shard", Shards.byKey(KV::getKey, count, documentsPerShard()))
            .apply("Group shards", Shards.group())
            .apply(
                "Keep smallest id per text",
                ParDo.of(new KeepSmallestFn(keptTag, clustersTag)).withOutputTags(keptTag, TupleTagList.of(clustersTag)));
    return new DedupResult<>(
        documents.getPipeline(),
        grouped.get(keptTag).setCoder(Document.DocumentCoder.of()),
        grouped.get(clustersTag).setCoder(ConnectedComponents.EDGE_CODER));
  }

  static final class TextKeyFn extends DoFn<Document, KV<String, Document>> {
    private final Counter documents = Metrics.counter(ExactDuplicates.class, DOCUMENTS);

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<KV<String, Document>> out) {
      documents.inc();
      out.output(KV.of(ExactText.key(document.text()), document));
    }
  }

  static final class KeepSmallestFn extends DoFn<KV<Integer, Iterable<KV<String, Document>>>, Document> {
    private final Counter removed = Metrics.counter(ExactDuplicates.class, REMOVED);
    private final Counter clusters = Metrics.counter(ExactDuplicates.class, CLUSTERS);
    private final TupleTag<Document> keptTag;
    private final TupleTag<KV<String, String>> clustersTag;

    KeepSmallestFn(TupleTag<Document> keptTag, TupleTag<KV<String, String>> clustersTag) {
      this.keptTag = keptTag;
      this.clustersTag = clustersTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Document>>> shard, MultiOutputReceiver out) {
      Map<String, Document> smallest = new HashMap<>();
      Map<String, List<String>> members = new HashMap<>();
      for (KV<String, Document> entry : shard.getValue()) {
        Document document = entry.getValue();
        smallest.merge(entry.getKey(), document, (a, b) -> a.id().compareTo(b.id()) <= 0 ? a : b);
        members.computeIfAbsent(entry.getKey(), k -> new ArrayList<>(1)).add(document.id());
      }
      for (Map.Entry<String, Document> group : smallest.entrySet()) {
        Document kept = group.getValue();
        out.get(keptTag).output(kept);
        List<String> ids = members.get(group.getKey());
        if (ids.size() > 1) {
          clusters.inc();
          removed.inc(ids.size() - 1);
          for (String id : ids) {
            out.get(clustersTag).output(KV.of(id, kept.id()));
          }
        }
      }
    }
  }
}
