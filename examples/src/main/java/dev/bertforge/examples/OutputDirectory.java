package dev.bertforge.examples;

import dev.bertforge.trainer.cli.CliArgs;
import dev.bertforge.trainer.export.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The quickstart's output directory: empty or missing, or a previous quickstart's, finished or not (then it is
 * cleared). A marker file written first says it is ours.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * Makes {@code dir} an empty directory holding only {@code marker}, refusing a non-empty one that {@code marker}
   * does not mark as ours.
   */
  static void claim(Path dir, String marker) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CliArgs.UsageException(dir + " is a file, not a directory");
    }
    if (Files.isDirectory(dir) && !isEmpty(dir)) {
      if (!Files.exists(dir.resolve(marker))) {
        throw new CliArgs.UsageException(dir + " is not empty and holds no " + marker
            + " (not a quickstart's output): choose another --output");
      }
      System.out.println("replacing the previous quickstart output in " + dir);
      AtomicDirectory.deleteRecursively(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(marker), "written by ./bertforge quickstart, which may replace this directory\n");
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

}
