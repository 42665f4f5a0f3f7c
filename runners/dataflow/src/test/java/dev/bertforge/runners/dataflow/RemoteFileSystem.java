package dev.bertforge.runners.dataflow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A stand-in for a cloud bucket in tests that must not touch the network: {@code remote://bucket/a/b} lives in the
 * folder named by system property {@value #ROOT_PROPERTY}. Pipelines see a non-local scheme, so any step that
 * captured a path of the launching machine shows up as one.
 */
public final class RemoteFileSystem extends FileSystem<RemoteFileSystem.RemoteResourceId> {

  static final String SCHEME = "remote";
  static final String ROOT_PROPERTY = "bertforge.remoteRoot";

  private final Path root;

  RemoteFileSystem() {
    String root = System.getProperty(ROOT_PROPERTY);
    if (root == null) {
      throw new IllegalStateException("set -D" + ROOT_PROPERTY + " to use remote:// paths");
    }
    this.root = Paths.get(root);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      MatchResult local = FileSystems.match(local(spec).toString());
      if (local.status() != MatchResult.Status.OK) {
        results.add(MatchResult.create(local.status(), new NoSuchFileException(spec)));
        continue;
      }
      List<MatchResult.Metadata> remote = new ArrayList<>();
      for (MatchResult.Metadata file : local.metadata()) {
        remote.add(
            MatchResult.Metadata.builder()
                .setResourceId(fromLocal(Paths.get(file.resourceId().toString()), file.resourceId().isDirectory()))
                .setSizeBytes(file.sizeBytes())
                .setIsReadSeekEfficient(true)
                .setLastModifiedMillis(file.lastModifiedMillis())
                .build());
      }
      results.add(MatchResult.create(MatchResult.Status.OK, remote));
    }
    return results;
  }

  @Override
  protected WritableByteChannel create(RemoteResourceId resourceId, CreateOptions createOptions)
      throws IOException {
    Path file = local(resourceId.toString());
    Files.createDirectories(file.getParent());
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  protected ReadableByteChannel open(RemoteResourceId resourceId) throws IOException {
    return FileChannel.open(local(resourceId.toString()), StandardOpenOption.READ);
  }

  @Override
  protected void copy(List<RemoteResourceId> from, List<RemoteResourceId> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Path target = local(to.get(i).toString());
      Files.createDirectories(target.getParent());
      Files.copy(local(from.get(i).toString()), target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(
      List<RemoteResourceId> from, List<RemoteResourceId> to, MoveOptions... moveOptions) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Path source = local(from.get(i).toString());
      if (!Files.exists(source)) {
        continue; // IGNORE_MISSING_FILES is what Beam's writers ask for
      }
      Path target = local(to.get(i).toString());
      Files.createDirectories(target.getParent());
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void delete(Collection<RemoteResourceId> resourceIds) throws IOException {
    for (RemoteResourceId resourceId : resourceIds) {
      Files.deleteIfExists(local(resourceId.toString()));
    }
  }

  @Override
  protected RemoteResourceId matchNewResource(String singleResourceSpec, boolean isDirectory) {
    return new RemoteResourceId(singleResourceSpec, isDirectory);
  }

  private Path local(String spec) {
    String prefix = SCHEME + "://";
    if (!spec.startsWith(prefix)) {
      throw new IllegalArgumentException("not a " + prefix + " path: " + spec);
    }
    return root.resolve(spec.substring(prefix.length()));
  }

  private RemoteResourceId fromLocal(Path file, boolean isDirectory) {
    return new RemoteResourceId(
        SCHEME + "://" + root.relativize(file).toString().replace('\\', '/'), isDirectory);
  }

  /** A {@code remote://bucket/path} name; folders end in '/'. */
  static final class RemoteResourceId implements ResourceId {
    private static final long serialVersionUID = 1L;
    private final String path;

    RemoteResourceId(String path, boolean isDirectory) {
      this.path = isDirectory && !path.endsWith("/") ? path + "/" : path;
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions resolveOptions) {
      if (!isDirectory()) {
        throw new IllegalStateException("cannot resolve against a file: " + path);
      }
      boolean directory = resolveOptions == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new RemoteResourceId(path + other, directory);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return isDirectory() ? this : new RemoteResourceId(path.substring(0, path.lastIndexOf('/') + 1), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      String trimmed = isDirectory() ? path.substring(0, path.length() - 1) : path;
      String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
      return name.isEmpty() ? null : name;
    }

    @Override
    public boolean isDirectory() {
      return path.endsWith("/");
    }

    @Override
    public String toString() {
      return path;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RemoteResourceId && ((RemoteResourceId) other).path.equals(path);
    }

    @Override
    public int hashCode() {
      return path.hashCode();
    }
  }

  /** Registers the scheme with Beam through META-INF/services. */
  public static final class Registrar implements org.apache.beam.sdk.io.FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(org.apache.beam.sdk.options.PipelineOptions options) {
      return Collections.singletonList(new RemoteFileSystem());
    }
  }
}
