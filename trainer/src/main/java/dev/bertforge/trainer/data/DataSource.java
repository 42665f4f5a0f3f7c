package dev.bertforge.trainer.data;

/**
 * One named set of token shards a stage reads: {@code path} is a shard glob (as {@link ShardFiles} resolves it) and
 * {@code weight} the share of the stage's training tokens drawn from it (normalised over the sources; unused for
 * validation).
 */
public record DataSource(String name, String path, double weight) {
  /** What a source name may be (it names JSON keys and log columns): letters, digits, '_', '.' and '-'. */
  public static final String NAME = "[A-Za-z0-9_.-]+";
}
