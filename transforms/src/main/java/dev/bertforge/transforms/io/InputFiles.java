package dev.bertforge.transforms.io;

import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;

/**
 * The input's files, as seen when the pipeline is built: the glob as Beam matches it, the directory ids are
 * relative to, which files count, each file's format and compression, and the {@link DocumentFormat} of the whole.
 */
final class InputFiles {
  private InputFiles() {}

  /** A directory ({@code dir/}) means every file below it. */
  static String glob(String input) {
    return input.endsWith("/") ? input + "**" : input;
  }

  /** The part of the glob before its first wildcard, up to and including the last separator, made absolute. */
  static String baseDirectory(String input) {
    String glob = glob(input);
    int wildcard = firstWildcard(glob);
    String prefix = wildcard < 0 ? glob : glob.substring(0, wildcard);
    int slash = prefix.lastIndexOf('/');
    if (slash < 0) {
      return FileSystems.matchNewResource(".", true).toString();
    }
    String directory = prefix.substring(0, slash + 1);
    return FileSystems.matchNewResource(directory, true).toString();
  }

  private static int firstWildcard(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }

  /** The file's path relative to {@code baseDirectory}, or its full path if it lies elsewhere. */
  static String relativePath(String file, String baseDirectory) {
    return file.startsWith(baseDirectory) ? file.substring(baseDirectory.length()) : file;
  }

  /** Files or directories below the base whose names start with '.' or '_' are skipped (as Spark and pyarrow do). */
  static boolean isHidden(String file, String baseDirectory) {
    for (String part : relativePath(file, baseDirectory).split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  static Compression compressionOf(String file) {
    return Compression.detect(file);
  }

  /** The format a file is read in: the one asked for, or (auto) the one its extension implies. */
  static InputFormat formatOf(String file, InputFormat requested) {
    if (requested != InputFormat.AUTO) {
      return requested;
    }
    String name = file;
    if (compressionOf(file) != Compression.UNCOMPRESSED) {
      name = file.substring(0, file.lastIndexOf('.'));
    }
    return InputFormat.fromFileName(name);
  }

  /**
   * Matches the input now and describes it: its one format (an error if it mixes formats), the first file's
   * compression, and for Parquet the first file's schema, codec and metadata.
   */
  static DocumentFormat describe(
      String input, InputFormat requested, TextMode textMode, String textField, String idField) {
    String base = baseDirectory(input);
    List<MatchResult.Metadata> files = match(input, base);
    if (files.isEmpty()) {
      throw new BadInputException("--input=" + input + " matches no files");
    }
    Map<InputFormat, String> formats = new TreeMap<>();
    long bytes = 0;
    for (MatchResult.Metadata file : files) {
      formats.putIfAbsent(formatOf(file.resourceId().toString(), requested), file.resourceId().toString());
      bytes += file.sizeBytes();
    }
    if (formats.size() > 1) {
      List<String> examples = new ArrayList<>();
      formats.forEach((format, file) -> examples.add(file + " is " + format));
      throw new BadInputException(
          "--input=" + input + " mixes formats (" + String.join(", ", examples)
              + "); narrow the glob or set --format");
    }
    InputFormat format = formats.keySet().iterator().next();
    String first = files.get(0).resourceId().toString();
    DocumentFormat.Builder described =
        DocumentFormat.builder()
            .setFormat(format)
            .setTextMode(textMode)
            .setTextField(textField)
            .setIdField(idField)
            .setBaseDirectory(base)
            .setInputFiles(files.size())
            .setInputBytes(bytes);
    if (format == InputFormat.PARQUET) {
      describeParquet(files, described);
    } else {
      described.setCompression(compressionOf(first));
    }
    return described.build();
  }

  private static List<MatchResult.Metadata> match(String input, String base) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    try {
      MatchResult result = FileSystems.match(glob(input));
      if (result.status() != MatchResult.Status.OK) {
        return files;
      }
      for (MatchResult.Metadata file : result.metadata()) {
        if (!isHidden(file.resourceId().toString(), base) && !file.resourceId().isDirectory()) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list --input=" + input + ": " + e.getMessage(), e);
    }
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    return files;
  }

  /**
   * Takes the schema, codec and metadata of the first Parquet file whose footer reads (corrupt files are rejected
   * when read); none if the first few all fail.
   */
  private static void describeParquet(List<MatchResult.Metadata> files, DocumentFormat.Builder described) {
    for (MatchResult.Metadata file : files.subList(0, Math.min(files.size(), 10))) {
      try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file))) {
        FileMetaData metadata = reader.getFooter().getFileMetaData();
        described.setParquetSchema(metadata.getSchema().toString());
        String codec = "SNAPPY";
        for (BlockMetaData block : reader.getRowGroups()) {
          if (!block.getColumns().isEmpty()) {
            codec = block.getColumns().get(0).getCodec().name();
            break;
          }
        }
        described.setParquetCodec(codec);
        Map<String, String> keyValues = new LinkedHashMap<>(metadata.getKeyValueMetaData());
        keyValues.remove("writer.model.name"); // the writer sets its own
        described.setParquetMetadata(keyValues);
        return;
      } catch (IOException | RuntimeException e) {
        // try the next file
      }
    }
  }
}
