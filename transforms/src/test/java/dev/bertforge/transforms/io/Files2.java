package dev.bertforge.transforms.io;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test helpers: write files (plain, gzip, zstd by extension) and read back every line of a directory's files. */
final class Files2 {
  private Files2() {}

  static Path write(Path file, String content) {
    return writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
  }

  static Path writeBytes(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = compressing(file, Files.newOutputStream(file))) {
        out.write(content);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OutputStream compressing(Path file, OutputStream out) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".gz")) {
      return new GZIPOutputStream(out);
    }
    if (name.endsWith(".zst")) {
      return new ZstdOutputStream(out);
    }
    return out;
  }

  static byte[] readBytes(Path file) {
    try (InputStream in = decompressing(file, Files.newInputStream(file))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream decompressing(Path file, InputStream in) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".gz")) {
      return new GZIPInputStream(in);
    }
    if (name.endsWith(".zst")) {
      return new ZstdInputStream(in);
    }
    return in;
  }

  /** The regular files below {@code directory} whose name ends with {@code suffix}, sorted. */
  static List<Path> list(Path directory, String suffix) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of every file below {@code directory} ending with {@code suffix}, sorted. */
  static List<String> lines(Path directory, String suffix) {
    List<String> lines = new ArrayList<>();
    for (Path file : list(directory, suffix)) {
      String content = new String(readBytes(file), StandardCharsets.UTF_8);
      if (!content.isEmpty()) {
        for (String line : content.split("\n", -1)) {
          lines.add(line);
        }
        if (lines.get(lines.size() - 1).isEmpty()) {
          lines.remove(lines.size() - 1);
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
