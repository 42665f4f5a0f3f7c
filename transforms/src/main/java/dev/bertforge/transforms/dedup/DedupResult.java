package dev.bertforge.transforms.dedup;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@link ExactDuplicates} and {@link NearDuplicates} (kept {@link dev.bertforge.transforms.io.Document}s) and
 * {@link FingerprintDedup} (kept {@link Fingerprint}s) return: what is kept, one per kept document, and the cluster
 * assignment of every member of every cluster of two or more documents as {@code KV(id, kept id)} (the kept member
 * maps to itself; documents not listed are unique).
 */
public final class DedupResult<T> implements POutput {
  private final TupleTag<T> keptTag = new TupleTag<>("kept");
  private static final TupleTag<KV<String, String>> CLUSTERS = new TupleTag<>("clusters");

  private final Pipeline pipeline;
  private final PCollection<T> kept;
  private final PCollection<KV<String, String>> clusters;

  DedupResult(Pipeline pipeline, PCollection<T> kept, PCollection<KV<String, String>> clusters) {
    this.pipeline = pipeline;
    this.kept = kept;
    this.clusters = clusters;
  }

  public PCollection<T> kept() {
    return kept;
  }

  public PCollection<KV<String, String>> clusters() {
    return clusters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(keptTag, kept, CLUSTERS, clusters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}
