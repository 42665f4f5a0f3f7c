package dev.bertforge.transforms.group;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
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
public final class Shards {
  private Shards() {}

  public static int count(long elements, long perShard) {
    return (int) Math.max(1, Math.min(1 << 20, (elements + perShard - 1) / perShard));
  }

  /** The shard of a key whose {@code hashCode} is specified by the JDK (String, Long, Integer): stable everywhere. */
  public static int of(Object key, int shards) {
    return (int) Long.remainderUnsigned(SplitMix.mix(key.hashCode() * 0x9E3779B97F4A7C15L), shards);
  }

  /**
   * Brings shard-keyed collections together like {@code CoGroupByKey}, as one {@code GroupByKey} of tagged
   * values ({@link RawUnionValue#getUnionTag()} = the input's position in {@code inputs}). Unlike
   * {@code CoGbkResult}, the result is read in one pass, which every runner supports (Flink's grouped values cannot be
   * iterated twice unless asked to).
   */
  @SafeVarargs
  public static PCollection<KV<Integer, Iterable<RawUnionValue>>> join(
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
        .apply(name + " group", group());
  }

  /**
   * {@code GroupByKey} of shard-keyed elements, with each bundle's elements of a shard encoded together into
   * batches of about {@value #BATCH_BYTES} bytes first, so that the shuffle moves a few large records instead of many
   * small ones. The result is what {@code GroupByKey} gives, its values decoded lazily as they are iterated.
   *
   * <p>Why: the Direct runner copies a key's whole group, element by element through its coder, every time another
   * bundle adds to it, and keeps per-element state and timers; on 1.3 GB this step was a quarter of the CPU of a
   * dedup. Every runner's shuffle also pays per record. Batches need the global window (these pipelines are bounded
   * and never window).
   */
  public static <T> PTransform<PCollection<KV<Integer, T>>, PCollection<KV<Integer, Iterable<T>>>> group() {
    return new Group<>();
  }

  static final int BATCH_BYTES = 1 << 20;

  private static final class Group<T>
      extends PTransform<PCollection<KV<Integer, T>>, PCollection<KV<Integer, Iterable<T>>>> {
    @Override
    public PCollection<KV<Integer, Iterable<T>>> expand(PCollection<KV<Integer, T>> input) {
      @SuppressWarnings("unchecked")
      Coder<T> valueCoder = ((KvCoder<Integer, T>) input.getCoder()).getValueCoder();
      return input
          .apply("Batch", ParDo.of(new BatchFn<>(valueCoder)))
          .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
          .apply("Group batches", GroupByKey.create())
          .apply("Unbatch", ParDo.of(new UnbatchFn<>(valueCoder)))
          .setCoder(KvCoder.of(VarIntCoder.of(), IterableCoder.of(valueCoder)));
    }
  }

  /** Encodes each bundle's elements per shard into batches (nested encoding: each element delimits itself). */
  static final class BatchFn<T> extends DoFn<KV<Integer, T>, KV<Integer, byte[]>> {
    private final Coder<T> coder;
    private transient Map<Integer, ByteArrayOutputStream> open;

    BatchFn(Coder<T> coder) {
      this.coder = coder;
    }

    @StartBundle
    public void startBundle() {
      open = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, T> element, BoundedWindow window,
        OutputReceiver<KV<Integer, byte[]>> out) throws IOException {
      if (!(window instanceof GlobalWindow)) {
        throw new IllegalStateException("sharded grouping needs the global window, got " + window);
      }
      ByteArrayOutputStream batch = open.computeIfAbsent(element.getKey(), k -> new ByteArrayOutputStream());
      coder.encode(element.getValue(), batch);
      if (batch.size() >= BATCH_BYTES) {
        out.output(KV.of(element.getKey(), batch.toByteArray()));
        batch.reset();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<Integer, ByteArrayOutputStream> batch : open.entrySet()) {
        if (batch.getValue().size() > 0) {
          context.output(KV.of(batch.getKey(), batch.getValue().toByteArray()),
              GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
        }
      }
      open = null;
    }
  }

  static final class UnbatchFn<T> extends DoFn<KV<Integer, Iterable<byte[]>>, KV<Integer, Iterable<T>>> {
    private final Coder<T> coder;

    UnbatchFn(Coder<T> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> batches, OutputReceiver<KV<Integer, Iterable<T>>> out) {
      out.output(KV.of(batches.getKey(), new Decoded<>(batches.getValue(), coder)));
    }
  }

  /** The elements of a group of batches, decoded as they are iterated; as re-iterable as the batches are. */
  static final class Decoded<T> implements Iterable<T> {
    private final Iterable<byte[]> batches;
    private final Coder<T> coder;

    Decoded(Iterable<byte[]> batches, Coder<T> coder) {
      this.batches = batches;
      this.coder = coder;
    }

    @Override
    public Iterator<T> iterator() {
      Iterator<byte[]> next = batches.iterator();
      return new Iterator<T>() {
        private ByteArrayInputStream batch = new ByteArrayInputStream(new byte[0]);

        @Override
        public boolean hasNext() {
          while (batch.available() == 0 && next.hasNext()) {
            batch = new ByteArrayInputStream(next.next());
          }
          return batch.available() > 0;
        }

        @Override
        public T next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          try {
            return coder.decode(batch);
          } catch (IOException e) {
            throw new UncheckedIOException("could not decode a batched element", e);
          }
        }
      };
    }
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

  /**
   * Keys each element by the shard of {@code key.apply(element)}; the result's coder is the input's, keyed by a
   * {@code VarIntCoder}.
   */
  public static <T> PTransform<PCollection<T>, PCollection<KV<Integer, T>>> byKey(
      SerializableFunction<T, ?> key, PCollectionView<Long> elements, long perShard) {
    return new ByKey<>(ParDo.of(new ByKeyFn<>(key, elements, perShard)).withSideInputs(elements));
  }

  private static final class ByKey<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, T>>> {
    private final ParDo.SingleOutput<T, KV<Integer, T>> keyByShard;

    ByKey(ParDo.SingleOutput<T, KV<Integer, T>> keyByShard) {
      this.keyByShard = keyByShard;
    }

    @Override
    public PCollection<KV<Integer, T>> expand(PCollection<T> input) {
      return input.apply("Key by shard", keyByShard).setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()));
    }
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
