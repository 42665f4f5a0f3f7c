package dev.bertforge.transforms.group;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ShardsTest {

  @Test
  void groupGivesWhatGroupByKeyGivesAcrossManyBatches() {
    // 4 shards of ~1.5 MB each: every shard spans several 1 MB batches.
    List<KV<Integer, String>> elements = new ArrayList<>();
    Map<Integer, List<String>> expected = new TreeMap<>();
    for (int i = 0; i < 240_000; i++) {
      int shard = i % 4;
      String value = "value-" + i + (i % 7 == 0 ? "-ü" : "");
      elements.add(KV.of(shard, value));
      expected.computeIfAbsent(shard, k -> new ArrayList<>()).add(value);
    }
    List<String> expectedSummaries = new ArrayList<>();
    expected.forEach((shard, values) -> expectedSummaries.add(summary(shard, values)));

    TestPipeline p = TestPipeline.fromOptions(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create())
        .enableAbandonedNodeEnforcement(false);
    PCollection<String> summaries =
        p.apply(Create.of(elements).withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply(Shards.group())
            .apply(ParDo.of(new SummaryFn()));
    PAssert.that(summaries).containsInAnyOrder(expectedSummaries);
    p.run().waitUntilFinish();
  }

  /** A shard's size and its sorted values' hash: equal for equal multisets. */
  private static String summary(int shard, List<String> values) {
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return shard + ":" + sorted.size() + ":" + sorted.hashCode();
  }

  static final class SummaryFn extends DoFn<KV<Integer, Iterable<String>>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> group, OutputReceiver<String> out) {
      List<String> values = new ArrayList<>();
      group.getValue().forEach(values::add);
      out.output(summary(group.getKey(), values));
    }
  }

  @Test
  void decodedBatchesSkipEmptyOnesAndCanBeIteratedAgain() throws IOException {
    StringUtf8Coder coder = StringUtf8Coder.of();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    coder.encode("a", first);
    coder.encode("", first);
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    coder.encode("c", second);
    Iterable<String> decoded =
        new Shards.Decoded<>(Arrays.asList(new byte[0], first.toByteArray(), new byte[0], second.toByteArray()), coder);
    List<String> once = new ArrayList<>();
    decoded.forEach(once::add);
    List<String> twice = new ArrayList<>();
    decoded.forEach(twice::add);
    assertThat(once, contains("a", "", "c"));
    assertThat(twice, equalTo(once));
    List<String> none = new ArrayList<>();
    new Shards.Decoded<>(List.of(new byte[0]), coder).forEach(none::add);
    assertThat(none, empty());
  }
}
