package dev.bertforge.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bertforge.runners.testing.BundleChecks;
import dev.bertforge.runners.testing.BundleProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Direct bundle runs a pipeline on its own, in a JVM of its own. */
class DirectBundleIT {

  @TempDir Path workDir;

  @Test
  void runsAPipelineOnTheDirectRunner() throws Exception {
    BundleChecks.wordCountMatches(
        BundleProcess.bundleUnderTest(), workDir, List.of("--runner=DirectRunner"), 180);
  }

  @Test
  void registersTheDirectRunnerAndLocalFiles() throws Exception {
    String contents = BundleChecks.contents(BundleProcess.bundleUnderTest(), workDir);
    assertThat(contents, containsString("runner DirectRunner"));
    assertThat(contents, containsString("scheme file"));
  }
}
