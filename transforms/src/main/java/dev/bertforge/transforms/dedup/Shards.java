package dev.bertforge.transforms.dedup;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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

  /**
   * Brings shard-keyed collections together like {@code CoGroupByKey}, as one {@code GroupByKey} of tagged
   * values ({@link RawUnionValue#getUnionTag()} = the input's position in {@code inputs}). Unlike
   * {@code CoGbkResult}, the result is read in one pass, which every runner supports (Flink's grouped values cannot be
   * iterated twice unless asked to).
   */
  @SafeVarargs
  static PCollection<KV<Integer, Iterable<RawUnionValue>>> join(
      String name, PCollection<? extends KV<Integer, ?>>... inputs) {
    List<Coder<?>> valueCoders = new ArrayList<>();
    PCollectionList<KV<Integer, RawUnionValue>> tagged = PCollectionList.empty(inputs[0].getPipeline());
    for (PCollection<? extends KV<Integer, ?>> input : inputs) {
      valueCoders.add(((KvCoder<?, ?>) (Coder<?>) input.getCoder()).getValueCoder());
    }
    KvCoder<Integer, RawUnionValue> coder = KvCoder.of(VarIntCoder.of(), UnionCoder.of(valueCoders));
    for (int tag = 0; tag < inputs.length; tag++) {
      tagged =
          tagged.and(
              inputs[tag]
                  .apply(name + " tag " + tag, ParDo.of(new TagFn(tag)))
                  .setCoder(coder));
    }
    return tagged
        .apply(name + " flatten", Flatten.pCollections())
        .apply(name + " group", GroupByKey.create());
  }

  static final class TagFn extends DoFn<KV<Integer, ?>, KV<Integer, RawUnionValue>> {
    private final int tag;

    TagFn(int tag) {
      this.tag = tag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ?> element, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      out.output(KV.of(element.getKey(), new RawUnionValue(tag, element.getValue())));
    }
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
