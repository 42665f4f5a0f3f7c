package dev.bertforge.runners.dataflow;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * DataflowRunner's stager for tests without a network: claims every file staged under gs://bertforge-staging/ and
 * keeps what it is asked to stage as bytes (the portable pipeline proto) in {@code staged/} beside the job file
 * ({@code --templateLocation}), for the test to inspect.
 */
public final class NoUploadStager implements Stager {

  private final Path directory;

  private NoUploadStager(Path directory) {
    this.directory = directory;
  }

  /** Called by DataflowRunner through {@code --stagerClass}. */
  public static NoUploadStager fromOptions(PipelineOptions options) {
    return new NoUploadStager(stagedDirectory(
        Paths.get(options.as(DataflowPipelineOptions.class).getTemplateLocation())));
  }

  /** Where the bytes staged for the job written to {@code jobFile} are kept. */
  static Path stagedDirectory(Path jobFile) {
    return jobFile.resolveSibling("staged");
  }

  @Override
  public List<DataflowPackage> stageFiles(List<PackageUtil.StagedFile> filesToStage) {
    List<DataflowPackage> packages = new ArrayList<>();
    for (PackageUtil.StagedFile file : filesToStage) {
      packages.add(stagedAs(file.getDestination()));
    }
    return packages;
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String baseName) {
    try {
      Files.createDirectories(directory);
      Files.write(directory.resolve(baseName), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stagedAs(baseName);
  }

  private static DataflowPackage stagedAs(String name) {
    return new DataflowPackage().setName(name).setLocation("gs://bertforge-staging/" + name);
  }
}
