package dev.bertforge.options;

/** Checks of {@link TokenShardOptions} values; each failure names the option and says what is wrong. */
public final class TokenShardOptionChecks {
  private TokenShardOptionChecks() {}

  public static void check(TokenShardOptions options) {
    require(options.getMode() != null, "--mode must be one of pack, split, truncate");
    require(options.getCompression() != null, "--compression must be none or gzip");
    require(options.getMaxSeqLen() >= 8, "--maxSeqLen must be at least 8, not " + options.getMaxSeqLen());
    require(options.getNumShards() >= 0, "--numShards must be 0 (automatic) or more, not " + options.getNumShards());
    double fraction = options.getValidationFraction();
    require(fraction >= 0 && fraction < 1, "--validationFraction must be at least 0 and below 1, not " + fraction);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
