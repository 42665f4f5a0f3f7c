package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.bertforge.transforms.io.MetricTotals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {

  private static String id(int i) {
    return String.format("doc-%07d", i);
  }

  /** Runs the transform and checks it against union-find; returns the residual-edge counter. */
  private static long checkAgainstUnionFind(List<KV<String, String>> edges, ConnectedComponents components) {
    UnionFind reference = new UnionFind();
    for (KV<String, String> edge : edges) {
      reference.union(edge.getKey(), edge.getValue());
    }
    List<KV<String, String>> expected = new ArrayList<>();
    for (Map.Entry<String, String> e : reference.components().entrySet()) {
      expected.add(KV.of(e.getKey(), e.getValue()));
    }
    TestPipeline pipeline = TestUtil.pipeline();
    PCollection<KV<String, String>> labels =
        pipeline.apply(Create.of(edges).withCoder(ConnectedComponents.EDGE_CODER)).apply(components);
    PAssert.that(labels).containsInAnyOrder(expected);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return MetricTotals.counter(result, MetricName.named(ConnectedComponents.class, "cc_residual_edges"));
  }

  @Test
  void randomGraphsMatchUnionFind() {
    SplittableRandom random = new SplittableRandom(11);
    for (double averageDegree : new double[] {0.5, 1.0, 2.5}) {
      int nodes = 2000;
      List<KV<String, String>> edges = new ArrayList<>();
      for (int e = 0; e < nodes * averageDegree / 2; e++) {
        edges.add(KV.of(id(random.nextInt(nodes)), id(random.nextInt(nodes))));
      }
      edges.add(KV.of(id(5), id(5)));
      edges.add(edges.get(0));
      checkAgainstUnionFind(edges, ConnectedComponents.create().withRounds(3));
    }
  }

  private static List<KV<String, String>> chain(int n, boolean shuffled) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (shuffled) {
      Collections.shuffle(order, new java.util.Random(3));
    }
    List<KV<String, String>> edges = new ArrayList<>();
    for (int i = 0; i + 1 < n; i++) {
      edges.add(KV.of(id(order.get(i)), id(order.get(i + 1))));
    }
    return edges;
  }

  @Test
  void aChainOf100kNodesConvergesExactlyWithItsResidualFinished() {
    // Four rounds leave a residual (a sorted path needs ~17) that the finishing union-find completes exactly.
    assertThat(checkAgainstUnionFind(chain(100_000, false), ConnectedComponents.create().withRounds(4)),
        greaterThan(0L));
  }

  @Test
  void enoughRoundsConvergeWithoutResidual() {
    // log2(20 000) is about 14: 20 rounds converge on their own.
    assertThat(checkAgainstUnionFind(chain(20_000, true), ConnectedComponents.create().withRounds(20)),
        equalTo(0L));
  }

  @Test
  void tooLargeAResidualFailsWithAClearMessage() {
    List<KV<String, String>> chain = new ArrayList<>();
    for (int i = 0; i + 1 < 1000; i++) {
      chain.add(KV.of(id(i), id(i + 1)));
    }
    TestPipeline pipeline = TestUtil.pipeline();
    pipeline
        .apply(Create.of(chain).withCoder(ConnectedComponents.EDGE_CODER))
        .apply(ConnectedComponents.create().withRounds(1).withMaxResidualEdges(10));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, pipeline::run);
    assertThat(
        String.valueOf(e.getMessage()).contains("still unconverged after the unrolled large-star/small-star rounds"),
        equalTo(true));
  }
}
