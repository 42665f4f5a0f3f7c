package dev.bertforge.trainer.train;

import dev.bertforge.trainer.export.AtomicDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints of a stage folder: {@code step-NNNNNNNN/} each, written whole and renamed into place
 * ({@link dev.bertforge.trainer.export.AtomicDirectory}), so a crash never leaves a half-written checkpoint
 * that looks complete; only the last {@code keepLast} are kept.
 */
public final class CheckpointFolders {
  private static final String PREFIX = "step-";

  /** Writes a checkpoint's files into the (temporary) folder it is given. */
  public interface Writer {
    void write(Path folder) throws IOException;
  }

  /** Writes the checkpoint folder {@code target} atomically, as {@code Checkpoint.save} does. */
  public interface AtomicWriter {
    void writeAtomically(Path target) throws IOException;
  }

  private final Path root;
  private final int keepLast;

  public CheckpointFolders(Path root, int keepLast) {
    this.root = root;
    this.keepLast = keepLast;
  }

  public Path root() {
    return root;
  }

  /** Writes checkpoint {@code step} through a temporary folder, then keeps only the newest {@code keepLast}. */
  public Path save(long step, Writer writer) throws IOException {
    return saveAtomically(step, target -> AtomicDirectory.write(target, writer::write));
  }

  /** Lets {@code writer} write checkpoint {@code step} atomically, then keeps only the newest {@code keepLast}. */
  public Path saveAtomically(long step, AtomicWriter writer) throws IOException {
    Files.createDirectories(root);
    Path target = root.resolve(PREFIX + String.format(Locale.ROOT, "%08d", step));
    writer.writeAtomically(target);
    List<Path> all = list();
    for (int i = 0; i < all.size() - keepLast; i++) {
      AtomicDirectory.deleteRecursively(all.get(i));
    }
    return target;
  }

  /** The complete checkpoints, oldest first. */
  public List<Path> list() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(TrainingState::isCheckpoint)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  public Optional<Path> latest() throws IOException {
    List<Path> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The checkpoint a path names: the path itself if it is one, else the latest checkpoint of the stage
   * folder it names, else empty.
   */
  public static Optional<Path> resolve(Path path) throws IOException {
    if (TrainingState.isCheckpoint(path)) {
      return Optional.of(path);
    }
    return new CheckpointFolders(path, Integer.MAX_VALUE).latest();
  }

}
