package dev.bertforge.transforms.dedup;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Groups by shard instead of by key: the element's key is hashed to one of ⌈count / perShard⌉ shards, where count
 * comes from a side input, and the DoFn after the {@code GroupByKey} groups by the real key in memory.
 *
 * <p>Why: a {@code GroupByKey} over millions of distinct keys costs one bundle per key on the Direct runner (about a
 * millisecond each), which made a 10 000-document dedup take minutes; shards cost that per shard. On Flink and
 * Dataflow fewer, larger groups are as good, and the shard count grows with the data so that a shard holds about
 * {@code perShard} elements whatever the corpus size. The shard of a key is a fixed function of the key and the
 * count, so results do not depend on the runner.
 */
final class Shards {
  private Shards() {}

  static int count(long elements, long perShard) {
    return (int) Math.max(1, Math.min(1 << 20, (elements + perShard - 1) / perShard));
  }

  /** The shard of a key whose {@code hashCode} is specified by the JDK (String, Long, Integer): stable everywhere. */
  static int of(Object key, int shards) {
    return (int) Long.remainderUnsigned(Shingler.mix(key.hashCode() * 0x9E3779B97F4A7C15L), shards);
  }

  /** Keys each element by the shard of {@code key.apply(element)}. */
  static <T> ParDo.SingleOutput<T, KV<Integer, T>> byKey(
      SerializableFunction<T, ?> key, PCollectionView<Long> elements, long perShard) {
    return ParDo.of(new ByKeyFn<>(key, elements, perShard)).withSideInputs(elements);
  }

  static final class ByKeyFn<T> extends DoFn<T, KV<Integer, T>> {
    private final SerializableFunction<T, ?> key;
    private final PCollectionView<Long> elements;
    private final long perShard;

    ByKeyFn(SerializableFunction<T, ?> key, PCollectionView<Long> elements, long perShard) {
      this.key = key;
      this.elements = elements;
      this.perShard = perShard;
    }

    private transient int shards;

    @StartBundle
    public void startBundle() {
      shards = 0;
    }

    @ProcessElement
    public void process(@Element T element, ProcessContext context, OutputReceiver<KV<Integer, T>> out) {
      if (shards == 0) {
        // Read once per bundle: the Direct runner rebuilds a side input's value on every access. The count is a
        // singleton of the global window, the only window here.
        shards = count(context.sideInput(elements), perShard);
      }
      out.output(KV.of(of(key.apply(element), shards), element));
    }
  }
}
