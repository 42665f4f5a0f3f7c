package dev.bertforge.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.bertforge.runners.testing.BundleChecks;
import dev.bertforge.runners.testing.BundleProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink bundle runs a pipeline on an embedded Flink, and is submitted to a real standalone cluster (JobManager
 * and TaskManager JVMs started by cluster.sh) as a user would submit it.
 */
class FlinkBundleIT {

  @TempDir Path workDir;

  @Test
  void runsAPipelineOnAnEmbeddedFlink() throws Exception {
    BundleChecks.wordCountMatches(
        BundleProcess.bundleUnderTest(),
        workDir,
        List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"),
        240);
  }

  @Test
  void registersFlinkAndTheCloudFileSystems() throws Exception {
    String contents = BundleChecks.contents(BundleProcess.bundleUnderTest(), workDir);
    assertThat(contents, containsString("runner FlinkRunner"));
    assertThat(contents, containsString("scheme gs"));
    assertThat(contents, containsString("scheme s3"));
    assertThat(contents, containsString("scheme file"));
  }

  @Test
  void runsAPipelineSubmittedToAStandaloneCluster() throws Exception {
    Path clusterDir = workDir.resolve("cluster");
    int restPort = freePort();
    int rpcPort = freePort();
    Path bundle = BundleProcess.bundleUnderTest();
    String started =
        cluster(
            "start",
            "--dir=" + clusterDir,
            "--taskmanagers=1",
            "--tm-memory=1600m",
            "--rest-port=" + restPort,
            "--rpc-port=" + rpcPort);
    List<String> pids = List.of();
    try {
      assertThat(started, containsString("Flink cluster up"));
      pids = pidsOf(clusterDir);
      assertEquals(2, pids.size(), "a JobManager and a TaskManager: " + pids);
      assertThat(cluster("status", "--dir=" + clusterDir), containsString("\"taskmanagers\":1,"));
      BundleChecks.wordCountMatches(
          bundle,
          workDir,
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=localhost:" + restPort,
              "--parallelism=2",
              "--filesToStage=" + bundle + "," + BundleProcess.testingJar()),
          600);
    } finally {
      assertThat(cluster("stop", "--dir=" + clusterDir), containsString("jobmanager: stopped"));
    }
    for (String pid : pids) {
      assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), pid);
    }
  }

  /** Runs cluster.sh; returns its output; fails unless it exits 0. */
  private static String cluster(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", System.getProperty("cluster.script")));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, process.waitFor(300, TimeUnit.SECONDS), "cluster.sh " + args[0] + " timed out");
    assertEquals(0, process.exitValue(), "cluster.sh " + String.join(" ", args) + ":\n" + output);
    return output;
  }

  private static List<String> pidsOf(Path clusterDir) throws IOException {
    try (Stream<Path> files = Files.list(clusterDir.resolve("pids"))) {
      List<String> pids = new ArrayList<>();
      for (Path file : files.collect(Collectors.toList())) {
        pids.add(Files.readString(file).trim());
      }
      pids.forEach(pid -> assertNotEquals("", pid));
      return pids;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

}
