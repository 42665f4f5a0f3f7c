package dev.bertforge.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bertforge.runners.testing.BundleChecks;
import dev.bertforge.runners.testing.BundleProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dataflow bundle registers its runner and the cloud file systems after the shade merged the service files. */
class DataflowBundleIT {

  @TempDir Path workDir;

  @Test
  void registersDataflowAndTheCloudFileSystems() throws Exception {
    String contents = BundleChecks.contents(BundleProcess.bundleUnderTest(), workDir);
    assertThat(contents, containsString("runner DataflowRunner"));
    assertThat(contents, containsString("scheme gs"));
    assertThat(contents, containsString("scheme s3"));
    assertThat(contents, containsString("scheme file"));
  }
}
