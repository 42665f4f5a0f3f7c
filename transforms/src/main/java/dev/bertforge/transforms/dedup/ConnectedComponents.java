package dev.bertforge.transforms.dedup;

import com.google.auto.value.AutoValue;
import dev.bertforge.transforms.group.Shards;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Connected components of an undirected graph given as edges between string ids, computed without gathering the
 * graph on one worker: each node is mapped to the smallest id of its component, so the result is the same on
 * every runner and every run.
 *
 * <p><b>Algorithm.</b> {@link #withRounds rounds} unrolled rounds of Kiveris et al.'s alternating large-star /
 * small-star (SoCC 2014; the algorithm of BigCode's and GraphFrames' dedup), each two {@code GroupByKey}s.
 * Large-star links every larger neighbour of a node to the node's smallest closed neighbour; small-star links a
 * node and its smaller neighbours to the smallest of them. Both keep the components and never create more edges
 * than they read, so a star bucket of k members costs k-1 edges, never k². They converge to one star per
 * component around its smallest id; a path of n nodes needs about log₂ n rounds (17 for n = 10⁵), typical
 * near-duplicate graphs 3–5.
 *
 * <p><b>Final check and finish.</b> Beam has no loops, so after the unrolled rounds each node takes as label the
 * smallest id of its closed neighbourhood (always an id of its own component) and every edge whose two ends got
 * different labels becomes an edge of the residual graph between labels. Components of the residual graph are
 * exactly the unfinished parts of the components of the input (each node's label lies in its component, and the
 * component's smallest id labels itself), so a union-find over the residual edges completes the result exactly.
 * The residual is empty once the rounds converged; otherwise each round has contracted it (about halving long
 * paths), so it is small. It is the one step on a single worker: it fails with a clear message above
 * {@link #withMaxResidualEdges maxResidualEdges} rather than running out of memory, and its size is the counter
 * {@code cc_residual_edges}.
 *
 * <p>Input: edges as {@code KV(a, b)} in any orientation (repeats and self-loops allowed). Output: {@code KV(node,
 * smallest id of its component)} for every node of an edge that is not a self-loop, the smallest id included.
 * Grouping is by shard of node ({@link Shards}): a shard holds about 250 000 (node, neighbour) entries in memory,
 * plus, for a star's centre, its whole component.
 */
@AutoValue
public abstract class ConnectedComponents
    extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
  static final KvCoder<String, String> EDGE_CODER = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  private static final KvCoder<String, KV<Integer, String>> MESSAGE_CODER =
      KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()));
  private static final int OWN_LABEL = 0;
  private static final int NEIGHBOUR_LABEL = 1;
  /** About 20 MB of (node, neighbour) entries per shard. */
  private static final long NODE_ENTRIES_PER_SHARD = 250_000;

  public abstract int rounds();

  public abstract long maxResidualEdges();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRounds(int rounds);

    abstract Builder setMaxResidualEdges(long maxResidualEdges);

    abstract ConnectedComponents build();
  }

  /** 6 rounds of large-star/small-star, then the exact finish of at most 10 million residual edges. */
  public static ConnectedComponents create() {
    return new AutoValue_ConnectedComponents.Builder().setRounds(6).setMaxResidualEdges(10_000_000L).build();
  }

  /** How many large-star/small-star rounds to unroll (more rounds, smaller residual; each costs two shuffles). */
  public ConnectedComponents withRounds(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must not be negative, got " + rounds);
    }
    return toBuilder().setRounds(rounds).build();
  }

  /** The largest residual the final single-worker union-find accepts before failing the pipeline. */
  public ConnectedComponents withMaxResidualEdges(long maxResidualEdges) {
    if (maxResidualEdges < 0) {
      throw new IllegalArgumentException("maxResidualEdges must not be negative, got " + maxResidualEdges);
    }
    return toBuilder().setMaxResidualEdges(maxResidualEdges).build();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> input) {
    PCollection<KV<String, String>> edges =
        input.apply("Orient edges", ParDo.of(new OrientFn())).setCoder(EDGE_CODER);
    // Star steps never output more edges than they read, so the first count sizes the shards of every round.
    PCollectionView<Long> edgeCount =
        edges.apply("Count edges", Count.globally()).apply("Edge count", View.asSingleton());
    for (int round = 1; round <= rounds(); round++) {
      edges = edges.apply("Large-star " + round, new Star(true, edgeCount));
      edges = edges.apply("Small-star " + round, new Star(false, edgeCount));
    }
    TupleTag<KV<String, String>> labelsTag = new TupleTag<>();
    TupleTag<KV<String, KV<Integer, String>>> messagesTag = new TupleTag<>();
    PCollectionTuple labelled =
        edges
            .apply("Both directions", ParDo.of(new BothDirectionsFn()))
            .setCoder(EDGE_CODER)
            .apply("Shard nodes", Shards.byKey(KV::getKey, edgeCount, NODE_ENTRIES_PER_SHARD))
            .apply("Group shards", Shards.group())
            .apply(
                "Label by closed neighbourhood",
                ParDo.of(new LabelFn(labelsTag, messagesTag))
                    .withOutputTags(labelsTag, TupleTagList.of(messagesTag)));
    PCollection<KV<String, String>> labels = labelled.get(labelsTag).setCoder(EDGE_CODER);
    PCollection<KV<String, String>> residual =
        labelled
            .get(messagesTag)
            .setCoder(MESSAGE_CODER)
            .apply("Shard label messages", Shards.byKey(KV::getKey, edgeCount, NODE_ENTRIES_PER_SHARD))
            .apply("Group label messages", Shards.group())
            .apply("Residual edges", ParDo.of(new ResidualFn()))
            .setCoder(EDGE_CODER);

    PCollectionView<Map<String, String>> finished =
        residual
            .apply("One key", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), EDGE_CODER))
            .apply("Gather residual", GroupByKey.create())
            .apply("Union-find residual", ParDo.of(new FinishFn(maxResidualEdges())))
            .setCoder(EDGE_CODER)
            .apply("As map", View.asMap());

    return labels
        .apply("Final labels", ParDo.of(new FinalLabelFn(finished)).withSideInputs(finished))
        .setCoder(EDGE_CODER);
  }

  /** Drops self-loops and writes every edge as (smaller, larger). */
  static final class OrientFn extends DoFn<KV<String, String>, KV<String, String>> {
    @ProcessElement
    public void process(@Element KV<String, String> edge, OutputReceiver<KV<String, String>> out) {
      int order = edge.getKey().compareTo(edge.getValue());
      if (order < 0) {
        out.output(edge);
      } else if (order > 0) {
        out.output(KV.of(edge.getValue(), edge.getKey()));
      }
    }
  }

  static final class BothDirectionsFn extends DoFn<KV<String, String>, KV<String, String>> {
    @ProcessElement
    public void process(@Element KV<String, String> edge, OutputReceiver<KV<String, String>> out) {
      out.output(edge);
      out.output(KV.of(edge.getValue(), edge.getKey()));
    }
  }

  /** Each node's distinct neighbours, from a shard of (node, neighbour) entries. */
  static Map<String, Set<String>> neighbours(Iterable<KV<String, String>> entries) {
    Map<String, Set<String>> out = new HashMap<>();
    for (KV<String, String> e : entries) {
      out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue());
    }
    return out;
  }

  /** The smallest of {@code node} and its neighbours. */
  static String smallest(String node, Set<String> neighbours) {
    String min = node;
    for (String v : neighbours) {
      if (v.compareTo(min) < 0) {
        min = v;
      }
    }
    return min;
  }

  /** One large-star (every neighbour) or small-star (smaller neighbours only) step over oriented edges. */
  static final class Star extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
    private final boolean large;
    private final PCollectionView<Long> edgeCount;

    Star(boolean large, PCollectionView<Long> edgeCount) {
      this.large = large;
      this.edgeCount = edgeCount;
    }

    @Override
    public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> edges) {
      PCollection<KV<String, String>> keyed =
          large
              ? edges.apply("Both directions", ParDo.of(new BothDirectionsFn())).setCoder(EDGE_CODER)
              : edges.apply("Key by larger end", ParDo.of(new KeyByLargerFn())).setCoder(EDGE_CODER);
      return keyed
          .apply("Shard nodes", Shards.byKey(KV::getKey, edgeCount, NODE_ENTRIES_PER_SHARD))
          .apply("Group shards", Shards.group())
          .apply(large ? "Link larger to min" : "Link smaller to min", ParDo.of(new StarFn(large)))
          .setCoder(EDGE_CODER);
    }
  }

  static final class KeyByLargerFn extends DoFn<KV<String, String>, KV<String, String>> {
    @ProcessElement
    public void process(@Element KV<String, String> edge, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(edge.getValue(), edge.getKey()));
    }
  }

  static final class StarFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, KV<String, String>> {
    private final boolean large;

    StarFn(boolean large) {
      this.large = large;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, String>>> shard, OutputReceiver<KV<String, String>> out) {
      for (Map.Entry<String, Set<String>> node : neighbours(shard.getValue()).entrySet()) {
        String u = node.getKey();
        Set<String> neighbours = node.getValue();
        String min = smallest(u, neighbours);
        if (large) {
          for (String v : neighbours) {
            if (v.compareTo(u) > 0) {
              out.output(KV.of(min, v));
            }
          }
        } else {
          neighbours.add(u);
          for (String v : neighbours) {
            if (!v.equals(min)) {
              out.output(KV.of(min, v));
            }
          }
        }
      }
    }
  }

  /** Labels a node with its smallest closed neighbour and tells each larger neighbour that label. */
  static final class LabelFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, KV<String, String>> {
    private final TupleTag<KV<String, String>> labelsTag;
    private final TupleTag<KV<String, KV<Integer, String>>> messagesTag;

    LabelFn(TupleTag<KV<String, String>> labelsTag, TupleTag<KV<String, KV<Integer, String>>> messagesTag) {
      this.labelsTag = labelsTag;
      this.messagesTag = messagesTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, String>>> shard, MultiOutputReceiver out) {
      for (Map.Entry<String, Set<String>> node : neighbours(shard.getValue()).entrySet()) {
        String u = node.getKey();
        String label = smallest(u, node.getValue());
        out.get(labelsTag).output(KV.of(u, label));
        out.get(messagesTag).output(KV.of(u, KV.of(OWN_LABEL, label)));
        for (String v : node.getValue()) {
          if (v.compareTo(u) > 0) {
            out.get(messagesTag).output(KV.of(v, KV.of(NEIGHBOUR_LABEL, label)));
          }
        }
      }
    }
  }

  /** An edge whose ends carry different labels links those labels in the residual graph. */
  static final class ResidualFn extends DoFn<KV<Integer, Iterable<KV<String, KV<Integer, String>>>>, KV<String, String>> {
    private final Counter residualEdges = Metrics.counter(ConnectedComponents.class, "cc_residual_edges");

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, KV<Integer, String>>>> shard,
        OutputReceiver<KV<String, String>> out) {
      Map<String, String> own = new HashMap<>();
      Map<String, Set<String>> fromNeighbours = new HashMap<>();
      for (KV<String, KV<Integer, String>> message : shard.getValue()) {
        if (message.getValue().getKey() == OWN_LABEL) {
          own.put(message.getKey(), message.getValue().getValue());
        } else {
          fromNeighbours.computeIfAbsent(message.getKey(), k -> new HashSet<>()).add(message.getValue().getValue());
        }
      }
      for (Map.Entry<String, Set<String>> node : fromNeighbours.entrySet()) {
        String label = own.get(node.getKey());
        for (String other : node.getValue()) {
          if (!other.equals(label)) {
            residualEdges.inc();
            out.output(label.compareTo(other) < 0 ? KV.of(label, other) : KV.of(other, label));
          }
        }
      }
    }
  }

  static final class FinishFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, KV<String, String>> {
    private final long maxResidualEdges;

    FinishFn(long maxResidualEdges) {
      this.maxResidualEdges = maxResidualEdges;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, String>>> residual, OutputReceiver<KV<String, String>> out) {
      UnionFind unionFind = new UnionFind();
      long count = 0;
      for (KV<String, String> edge : residual.getValue()) {
        if (++count > maxResidualEdges) {
          throw new IllegalStateException(
              "connected components: more than "
                  + maxResidualEdges
                  + " edges were still unconverged after the unrolled large-star/small-star rounds; "
                  + "rerun with more rounds (e.g. --ccRounds) or a larger maxResidualEdges");
        }
        unionFind.union(edge.getKey(), edge.getValue());
      }
      for (Map.Entry<String, String> e : unionFind.components().entrySet()) {
        if (!e.getKey().equals(e.getValue())) {
          out.output(KV.of(e.getKey(), e.getValue()));
        }
      }
    }
  }

  static final class FinalLabelFn extends DoFn<KV<String, String>, KV<String, String>> {
    private final PCollectionView<Map<String, String>> finished;

    FinalLabelFn(PCollectionView<Map<String, String>> finished) {
      this.finished = finished;
    }

    private transient Map<String, String> roots;

    @StartBundle
    public void startBundle() {
      roots = null;
    }

    @ProcessElement
    public void process(
        @Element KV<String, String> label, ProcessContext context, OutputReceiver<KV<String, String>> out) {
      if (roots == null) {
        roots = context.sideInput(finished); // once per bundle: the Direct runner rebuilds it on every access
      }
      String root = roots.get(label.getValue());
      out.output(root == null ? label : KV.of(label.getKey(), root));
    }
  }
}
