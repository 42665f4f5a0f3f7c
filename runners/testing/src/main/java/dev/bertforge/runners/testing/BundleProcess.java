package dev.bertforge.runners.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a JVM of its own, on a bundle (plus this module's jar), the way a user or a cluster runs it:
 * nothing from the test's own classpath leaks in.
 */
public final class BundleProcess {

  private BundleProcess() {}

  /** The bundle a runner module's tests check, named by the build in system property {@code bundle.jar}. */
  public static Path bundleUnderTest() {
    String jar = System.getProperty("bundle.jar");
    if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
      throw new IllegalStateException(
          "no bundle at '" + jar + "': build it with mvn package (without -Dbundle.skip=true)");
    }
    return Paths.get(jar);
  }

  /** This module's jar (or classes folder), which carries the check pipelines. */
  public static Path testingJar() {
    try {
      return Paths.get(BundleProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate the runners-testing classes", e);
    }
  }

  /**
   * Runs {@code mainClass} with {@code args} on the classpath {@code bundle:testingJar}; returns its output
   * (stdout and stderr merged) and fails with the output's end if the process fails or outlives the timeout.
   */
  public static String run(Path bundle, Class<?> mainClass, List<String> args, long timeoutSeconds, Path logFile)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(bundle + File.pathSeparator + testingJar());
    command.add(mainClass.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(logFile, StandardCharsets.UTF_8);
    if (!finished || process.exitValue() != 0) {
      throw new AssertionError(
          (finished ? "exit status " + process.exitValue() : "timed out after " + timeoutSeconds + " s")
              + " from "
              + String.join(" ", command)
              + "\n... "
              + output.substring(Math.max(0, output.length() - 4000)));
    }
    return output;
  }
}
