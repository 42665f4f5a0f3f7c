package dev.bertforge.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Resolves a shard glob to files: comma-separated patterns, each a file, a directory (its
 * {@code *.tfrecord*} files) or a glob such as {@code out/shards/tokens-*.tfrecord} ({@code **} crosses
 * folders).
 */
public final class ShardFiles {
  private ShardFiles() {}

  /** The matching files in sorted order; fails if a pattern matches nothing. */
  public static List<Path> resolve(String patterns) throws IOException {
    if (patterns == null || patterns.isBlank()) {
      throw new IOException("no shard glob given");
    }
    TreeSet<Path> files = new TreeSet<>();
    for (String pattern : patterns.split(",")) {
      List<Path> matched = resolveOne(pattern.trim());
      if (matched.isEmpty()) {
        throw new IOException("no shard file matches '" + pattern.trim() + "'");
      }
      files.addAll(matched);
    }
    return new ArrayList<>(files);
  }

  private static List<Path> resolveOne(String pattern) throws IOException {
    Path literal = Path.of(pattern).toAbsolutePath().normalize();
    if (!hasGlob(pattern)) {
      if (Files.isDirectory(literal)) {
        return list(literal, FileSystems.getDefault().getPathMatcher("glob:*.tfrecord*"), 1, true);
      }
      return Files.isRegularFile(literal) ? List.of(literal) : List.of();
    }
    Path base = literal.getRoot();
    int depth = 0;
    for (Path element : literal) {
      if (hasGlob(element.toString())) {
        break;
      }
      base = base.resolve(element);
      depth++;
    }
    int maxDepth = pattern.contains("**") ? Integer.MAX_VALUE : literal.getNameCount() - depth;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + literal);
    return Files.isDirectory(base) ? list(base, matcher, maxDepth, false) : List.of();
  }

  private static List<Path> list(Path base, PathMatcher matcher, int maxDepth, boolean matchName)
      throws IOException {
    try (Stream<Path> walk = Files.walk(base, maxDepth)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> matcher.matches(matchName ? p.getFileName() : p))
          .filter(p -> !p.getFileName().toString().equals(ShardManifest.FILE_NAME))
          .filter(p -> !p.getFileName().toString().startsWith(".")) // writers' temporary files
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static boolean hasGlob(String text) {
    return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
