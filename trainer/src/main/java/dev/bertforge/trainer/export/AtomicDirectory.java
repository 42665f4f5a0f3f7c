package dev.bertforge.trainer.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a directory all at once: the contents go into a temporary sibling, which then replaces the target by a
 * rename. A crash leaves either the old directory or the new one (plus, at worst, a {@code .tmp-}/{@code .old-}
 * sibling), never a half-written one.
 */
public final class AtomicDirectory {

  /** Fills a fresh, empty directory. */
  @FunctionalInterface
  public interface Contents {
    void writeInto(Path dir) throws IOException;
  }

  private AtomicDirectory() {}

  public static void write(Path target, Contents contents) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Path temp = parent.resolve("." + absolute.getFileName() + ".tmp-" + suffix);
    Files.createDirectory(temp);
    try {
      contents.writeInto(temp);
      if (Files.exists(absolute)) {
        Path old = parent.resolve("." + absolute.getFileName() + ".old-" + suffix);
        move(absolute, old);
        move(temp, absolute);
        deleteRecursively(old);
      } else {
        move(temp, absolute);
      }
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temp);
      throw e;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
