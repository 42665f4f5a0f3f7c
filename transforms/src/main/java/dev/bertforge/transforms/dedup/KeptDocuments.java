package dev.bertforge.transforms.dedup;

import dev.bertforge.transforms.group.Shards;
import dev.bertforge.transforms.io.Document;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The documents (texts included) whose ids {@link FingerprintDedup} kept: the documents joined on id with the kept
 * fingerprints, in shards of {@code documentsPerShard} documents. For pipelines that go on with the kept texts
 * (e.g. {@code prepare}: tokenizer training and token shards) after deduplicating on fingerprints.
 *
 * <pre>{@code
 * DedupResult<Fingerprint> dedup = documents.apply(Fingerprints.of(near)).apply(FingerprintDedup.with(near));
 * PCollection<Document> kept = documents.apply(KeptDocuments.of(dedup.kept(), near.documentsPerShard()));
 * }</pre>
 */
public final class KeptDocuments extends PTransform<PCollection<Document>, PCollection<Document>> {
  private final PCollection<Fingerprint> kept;
  private final long documentsPerShard;

  private KeptDocuments(PCollection<Fingerprint> kept, long documentsPerShard) {
    this.kept = kept;
    this.documentsPerShard = documentsPerShard;
  }

  public static KeptDocuments of(PCollection<Fingerprint> kept, long documentsPerShard) {
    if (documentsPerShard < 1) {
      throw new IllegalArgumentException("documentsPerShard must be at least 1, got " + documentsPerShard);
    }
    return new KeptDocuments(kept, documentsPerShard);
  }

  @Override
  public PCollection<Document> expand(PCollection<Document> documents) {
    PCollectionView<Long> count =
        documents.apply("Count documents", Count.globally()).apply("Document count", View.asSingleton());
    PCollection<String> keptIds =
        kept.apply("Kept ids", ParDo.of(new IdFn())).setCoder(StringUtf8Coder.of());
    return Shards.join(
            "Join kept ids",
            documents
                .apply("Shard documents", Shards.byKey(Document::id, count, documentsPerShard)),
            keptIds
                .apply("Shard kept ids", Shards.byKey(id -> id, count, documentsPerShard)))
        .apply("Keep", ParDo.of(new KeepFn()))
        .setCoder(Document.DocumentCoder.of());
  }

  static final class IdFn extends DoFn<Fingerprint, String> {
    @ProcessElement
    public void process(@Element Fingerprint fingerprint, OutputReceiver<String> out) {
      out.output(fingerprint.id());
    }
  }

  static final class KeepFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Document> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<Document> out) {
      Set<String> keptIds = new HashSet<>();
      List<Document> documents = new ArrayList<>();
      for (RawUnionValue value : shard.getValue()) {
        if (value.getUnionTag() == 0) {
          documents.add((Document) value.getValue());
        } else {
          keptIds.add((String) value.getValue());
        }
      }
      for (Document document : documents) {
        if (keptIds.contains(document.id())) {
          out.output(document);
        }
      }
    }
  }
}
