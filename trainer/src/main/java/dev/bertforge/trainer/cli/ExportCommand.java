package dev.bertforge.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.train.CheckpointFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** {@code ./bertforge export --checkpoint=DIR --output=DIR [--overwrite]}. */
public final class ExportCommand {

  static final String HELP = String.join("\n",
      "Usage: ./bertforge export --checkpoint=DIR --output=DIR [--overwrite]",
      "",
      "Writes a Hugging Face directory that transformers loads as ModernBertForMaskedLM: config.json (4.x and 5.x",
      "keys), model.safetensors (fp32, no decoder.weight) and the checkpoint's tokenizer files.",
      "  --checkpoint=DIR  a training checkpoint (config.json, model.safetensors, tokenizer/), or a stage folder",
      "                    (its latest checkpoint)",
      "  --output=DIR      the export directory; written whole, then renamed into place",
      "  --overwrite       replace --output if it exists and is not empty");

  private ExportCommand() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> {
      CliArgs options = CliArgs.parse(args, List.of("checkpoint", "output", "overwrite"));
      Path given = options.requiredPath("checkpoint");
      Path checkpoint = CheckpointFolders.resolve(given).orElse(given);
      Path output = options.requiredPath("output");
      if (!options.flag("overwrite") && isNonEmptyDirectory(output)) {
        throw new CliArgs.UsageException(output + " exists and is not empty (add --overwrite to replace it)");
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        Checkpoint.at(checkpoint).export(output, manager);
      }
      System.out.println("exported " + checkpoint + " to " + output);
    });
  }

  private static boolean isNonEmptyDirectory(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return false;
    }
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }
}
