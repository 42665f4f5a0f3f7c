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
import java.util.stream.Collectors;

/**
 * Runs a main class in a JVM of its own, on a bundle (plus this module's jar and whatever a test adds), the way a
 * user or a cluster runs it: nothing from the test's own classpath leaks in.
 */
public final class BundleProcess {

  /** How a run ended: exit status (-1 when it was killed at the timeout) and its merged stdout/stderr. */
  public static final class Result {
    public final int exitStatus;
    public final String output;
    final String command;

    Result(int exitStatus, String output, String command) {
      this.exitStatus = exitStatus;
      this.output = output;
      this.command = command;
    }

    /** Fails with the command and the end of the output unless the run exited 0. */
    public Result assertSucceeded() {
      if (exitStatus != 0) {
        throw new AssertionError(
            (exitStatus < 0 ? "timed out" : "exit status " + exitStatus) + " from " + command + "\n... " + tail());
      }
      return this;
    }

    /** The last 4000 characters of the output, for failure messages. */
    public String tail() {
      return output.substring(Math.max(0, output.length() - 4000));
    }
  }

  private final List<Path> classpath = new ArrayList<>();
  private final List<String> jvmFlags = new ArrayList<>(List.of("-Xmx1g"));
  private Path workingDirectory;

  private BundleProcess(Path bundle) {
    classpath.add(bundle);
    classpath.add(testingJar());
  }

  /** A JVM on {@code bundle} and this module's classes. */
  public static BundleProcess on(Path bundle) {
    return new BundleProcess(bundle);
  }

  public BundleProcess withClasspath(Path entry) {
    classpath.add(entry);
    return this;
  }

  public BundleProcess withJvmFlag(String flag) {
    jvmFlags.add(flag);
    return this;
  }

  public BundleProcess inDirectory(Path directory) {
    workingDirectory = directory;
    return this;
  }

  /** Runs {@code mainClass} with {@code args}, output to {@code logFile}; kills it after the timeout. */
  public Result run(String mainClass, List<String> args, long timeoutSeconds, Path logFile)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    Process process = builder.start();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    return new Result(
        finished ? process.exitValue() : -1,
        Files.readString(logFile, StandardCharsets.UTF_8),
        String.join(" ", command));
  }

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
}
