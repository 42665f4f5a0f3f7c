package dev.bertforge.options;

/**
 * Checks of option values that Beam's {@code @Validation.Required} cannot express. Each failure is an
 * {@link IllegalArgumentException} whose message names the option and says what is wrong.
 */
public final class OptionChecks {
  private OptionChecks() {}

  public static void check(DocumentInputOptions options) {
    require(options.getInput() != null && !options.getInput().isBlank(), "--input is required (a path or glob)");
    require(options.getFormat() != null, "--format must be one of auto, jsonl, parquet, text");
    require(options.getTextMode() != null, "--textMode must be file or line");
    require(isFieldName(options.getTextField()), "--textField must be a non-empty field name");
    if (options.getIdField() != null) {
      require(isFieldName(options.getIdField()), "--idField must be a non-empty field name when given");
      require(
          !options.getIdField().equals(options.getTextField()),
          "--idField and --textField must name different fields (both are '" + options.getIdField() + "')");
      require(
          options.getFormat() != InputFormat.TEXT,
          "--idField does not apply to --format=text (plain text has no fields)");
    }
  }

  public static void check(DocumentOutputOptions options) {
    require(options.getOutput() != null && !options.getOutput().isBlank(), "--output is required (a directory)");
    require(options.getNumShards() >= 0, "--numShards must be 0 (automatic) or more, not " + options.getNumShards());
  }

  public static void check(DedupOptions options) {
    check((DocumentInputOptions) options);
    check((DocumentOutputOptions) options);
    require(options.getNgramSize() >= 1, "--ngramSize must be at least 1, not " + options.getNgramSize());
    require(options.getNumPerm() >= 2, "--numPerm must be at least 2, not " + options.getNumPerm());
    require(
        options.getThreshold() > 0 && options.getThreshold() < 1,
        "--threshold must be between 0 and 1 (exclusive), not " + options.getThreshold());
    require(
        (options.getBands() == null) == (options.getRows() == null),
        "--bands and --rows go together: give both or neither");
    if (options.getBands() != null) {
      require(options.getBands() >= 1 && options.getRows() >= 1, "--bands and --rows must be positive");
      require(
          (long) options.getBands() * options.getRows() <= options.getNumPerm(),
          "--bands x --rows (" + options.getBands() + " x " + options.getRows() + ") must not exceed --numPerm ("
              + options.getNumPerm() + ")");
    }
    require(options.getVerify() != null, "--verify must be one of signature, exact, none");
    require(options.getCcRounds() >= 0, "--ccRounds must be 0 or more, not " + options.getCcRounds());
  }

  private static boolean isFieldName(String name) {
    return name != null && !name.isBlank();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
