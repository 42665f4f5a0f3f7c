package dev.bertforge.transforms.dedup;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;

/** A JUnit 5 {@link TestPipeline} on the Direct runner (Beam 2.62 has no JUnit 5 extension). */
final class TestUtil {
  private TestUtil() {}

  static TestPipeline pipeline() {
    return TestPipeline.fromOptions(PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false").create())
        .enableAbandonedNodeEnforcement(false);
  }
}
