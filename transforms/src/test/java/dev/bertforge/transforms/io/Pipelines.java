package dev.bertforge.transforms.io;

import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.TestPipeline;

/** A TestPipeline for JUnit 5 (no @Rule), that lets tests apply the same transform type twice without names. */
final class Pipelines {
  private Pipelines() {}

  static TestPipeline forTest() {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline.getOptions().setStableUniqueNames(PipelineOptions.CheckEnabled.OFF);
    return pipeline;
  }
}
