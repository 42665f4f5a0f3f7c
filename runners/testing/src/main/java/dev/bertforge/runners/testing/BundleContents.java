package dev.bertforge.runners.testing;

import java.util.ServiceLoader;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * Prints what a bundle registers through {@code META-INF/services}: one line per runner ("runner NAME") and one per
 * file system scheme that resolves a path ("scheme gs"), without touching the network. Run inside a bundle's JVM
 * by the bundle tests: a merge of the service files gone wrong shows up here.
 */
public final class BundleContents {

  private static final String[] SAMPLE_PATHS = {
    "file:///tmp/folder/file.txt", "gs://bucket/folder/file.txt", "s3://bucket/folder/file.txt",
    "hdfs://namenode/folder/file.txt"
  };

  private BundleContents() {}

  public static void main(String[] args) {
    TreeSet<String> runners = new TreeSet<>();
    for (PipelineRunnerRegistrar registrar : ServiceLoader.load(PipelineRunnerRegistrar.class)) {
      for (Class<? extends PipelineRunner<?>> runner : registrar.getPipelineRunners()) {
        runners.add(runner.getSimpleName());
      }
    }
    runners.forEach(runner -> System.out.println("runner " + runner));
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    for (String path : SAMPLE_PATHS) {
      String scheme = path.substring(0, path.indexOf(':'));
      try {
        FileSystems.matchNewResource(path, false);
        System.out.println("scheme " + scheme);
      } catch (RuntimeException e) {
        System.out.println("no scheme " + scheme + ": " + e.getMessage());
      }
    }
  }
}
