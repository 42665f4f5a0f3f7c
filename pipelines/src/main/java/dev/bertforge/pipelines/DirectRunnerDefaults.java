package dev.bertforge.pipelines;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Production defaults for the Direct runner. Its immutability and encodability checks, meant for testing DoFns (our
 * tests keep them on), encode and decode every element several times: on pretokenize they tripled the CPU spent
 * outside the tokenizer. Turned off unless the command line sets them.
 */
final class DirectRunnerDefaults {
  private DirectRunnerDefaults() {}

  static void apply(PipelineOptions options, String[] args) {
    if (options.getRunner() != DirectRunner.class) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
  }

  private static boolean given(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="));
  }
}
