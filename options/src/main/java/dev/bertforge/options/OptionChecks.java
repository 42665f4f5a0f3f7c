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

  private static boolean isFieldName(String name) {
    return name != null && !name.isBlank();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
