package dev.bertforge.transforms;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void pipelineRuns() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Long> n = p.apply(Create.of("a", "b", "c")).apply(Count.globally());
    PAssert.thatSingleton(n).isEqualTo(3L);
    p.run().waitUntilFinish();
  }
}
