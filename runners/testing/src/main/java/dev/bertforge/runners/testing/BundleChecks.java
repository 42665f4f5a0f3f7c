package dev.bertforge.runners.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The checks every runner's bundle test makes, so each module's test only names its runner's options. */
public final class BundleChecks {

  private static final String[] VOCABULARY = {
    "the", "token", "shard", "flink", "beam", "corpus", "near", "duplicate", "encoder", "über", "naïve", "日本語"
  };

  private BundleChecks() {}

  /**
   * Runs {@link WordCountCheck} from {@code bundle} with the given runner options over a generated text, and asserts
   * its counts equal the plain-Java ones: every word once, none lost, none doubled.
   */
  public static void wordCountMatches(Path bundle, Path workDir, List<String> runnerOptions, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path input = workDir.resolve("words.txt");
    writeWords(input, 1500, 42);
    Path output = workDir.resolve("counts");
    List<String> args = new ArrayList<>(runnerOptions);
    args.add("--input=" + input);
    args.add("--output=" + output.resolve("counts"));
    BundleProcess.on(bundle)
        .run(WordCountCheck.class.getName(), args, timeoutSeconds, workDir.resolve("run.log"))
        .assertSucceeded();
    assertEquals(WordCounts.countWords(input), WordCounts.readOutput(output));
  }

  /** What {@link BundleContents} prints when run inside {@code bundle}. */
  public static String contents(Path bundle, Path workDir) throws IOException, InterruptedException {
    return BundleProcess.on(bundle)
        .run(BundleContents.class.getName(), List.of(), 120, workDir.resolve("contents.log"))
        .assertSucceeded()
        .output;
  }

  private static void writeWords(Path file, int lines, long seed) throws IOException {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < lines; line++) {
      int words = random.nextInt(12);
      for (int word = 0; word < words; word++) {
        text.append(word == 0 ? "" : random.nextBoolean() ? " " : "\t");
        text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(random.nextInt(50));
      }
      text.append('\n');
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
