package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.DataSource;
import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.model.AttentionImplementation;
import dev.bertforge.trainer.model.AttentionPrecision;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

/**
 * One training stage as its YAML file describes it (every key is documented in the README's train
 * section). Built by {@link #load}; unknown keys and impossible values are errors naming the file and key.
 */
public record StageConfig(
    String stage,
    long seed,
    String initFrom,
    boolean resetOptimizer,
    Model model,
    Data data,
    Mlm mlm,
    OptimizerSettings optimizer,
    Schedule schedule,
    Batch batch,
    Budget budget,
    Checkpoints checkpoint,
    Eval eval,
    Log log,
    int threads) {

  /**
   * Model shape and the stage's attention settings; {@code null} means "from init_from or the preset". The
   * size keys ({@code hidden_size} ...) change a preset's shape for a fresh model.
   */
  public record Model(String preset, Integer vocabSize, Integer hiddenSize, Integer numHiddenLayers,
      Integer numAttentionHeads, Integer intermediateSize, Double globalRopeTheta, Double localRopeTheta,
      Integer localAttention, Integer globalAttnEveryNLayers, double attentionOutputDropout,
      AttentionImplementation attention, AttentionPrecision attentionPrecision) {}

  /**
   * @param train the training sources: one (named {@code train}) for a single glob, or the listed mixture
   * @param mixture whether {@code data.train} was a list of sources (a mixture of one included)
   * @param validation the validation sources (one named {@code validation} for a single glob), or none
   * @param allowShorterRows train even if the shards were pretokenized at a shorter length than {@code maxSeqLen}
   */
  public record Data(List<DataSource> train, boolean mixture, List<DataSource> validation, String tokenizer,
      int maxSeqLen, boolean pack, long shuffleWindowBytes, int prefetchSteps, boolean allowShorterRows) {}

  public record Mlm(double maskRate, double evalMaskRate) {}

  public record OptimizerSettings(String name, double lr, double beta1, double beta2, double eps,
      double weightDecay, double maxLr, boolean decoupleLr, double clipGradNorm) {}

  public record Schedule(String name, long warmupTokens, long decayTokens, double alphaF) {}

  /** {@code activationCheckpointing}: "auto", "true" or "false" (see {@link ActivationCheckpointing}). */
  public record Batch(int size, int microSize, long warmupTokens, int warmupMinSize,
      String activationCheckpointing) {
    /** Micro-batches per optimizer step once any batch-size warmup is over. */
    public int microBatches() {
      return size / microSize;
    }
  }

  /** Stops at whichever comes first; 0 means no limit of that kind. */
  public record Budget(long tokens, long steps) {}

  public record Checkpoints(Path dir, long everySteps, int keepLast) {}

  public record Eval(long everySteps, long maxTokens) {}

  public record Log(double everySeconds) {}

  public static StageConfig load(Path file, List<String> overrides) throws IOException {
    ConfigTree tree = ConfigTree.load(file);
    overrides.forEach(tree::set);
    return from(tree);
  }

  /** For tests: a config from YAML text. */
  public static StageConfig parse(String yaml, List<String> overrides) {
    ConfigTree tree = ConfigTree.parse("config", new StringReader(yaml));
    overrides.forEach(tree::set);
    return from(tree);
  }

  private static StageConfig from(ConfigTree t) {
    String initFrom = t.string("init_from", null);
    Model model = new Model(
        initFrom == null ? t.requiredString("model.preset") : t.string("model.preset", null),
        integerOrNull(t, "model.vocab_size"),
        integerOrNull(t, "model.hidden_size"),
        integerOrNull(t, "model.num_hidden_layers"),
        integerOrNull(t, "model.num_attention_heads"),
        integerOrNull(t, "model.intermediate_size"),
        t.optionalNumber("model.global_rope_theta"),
        t.optionalNumber("model.local_rope_theta"),
        integerOrNull(t, "model.local_attention"),
        integerOrNull(t, "model.global_attn_every_n_layers"),
        t.number("model.attention_output_dropout", 0.1),
        choice(t, "model.attention", "auto", AttentionImplementation::named),
        choice(t, "model.attention_precision", "fp32", AttentionPrecision::named));
    Data data = new Data(
        DataSources.parse(t, "data.train", true),
        t.get("data.train") instanceof List<?>,
        DataSources.parse(t, "data.validation", false),
        t.string("data.tokenizer", null),
        positiveInt(t, "data.max_seq_len", 1024),
        t.flag("data.pack", true),
        (long) (t.number("data.shuffle_window_mb", 1024) * 1024 * 1024),
        positiveInt(t, "data.prefetch_steps", 2),
        t.flag("data.allow_shorter_rows", false));
    Mlm mlm = new Mlm(t.number("mlm.mask_rate", 0.30), t.number("mlm.eval_mask_rate", 0.15));
    check(t, "mlm.mask_rate", mlm.maskRate() > 0 && mlm.maskRate() < 1, "must be in (0, 1)");
    check(t, "mlm.eval_mask_rate", mlm.evalMaskRate() > 0 && mlm.evalMaskRate() < 1, "must be in (0, 1)");

    String optimizerName = t.string("optimizer.name", "stable_adamw");
    check(t, "optimizer.name", optimizerName.equals("stable_adamw") || optimizerName.equals("adamw"),
        "must be stable_adamw or adamw, got '" + optimizerName + "'");
    double lr = t.number("optimizer.lr", Double.NaN);
    check(t, "optimizer.lr", lr > 0, "is required and must be positive");
    List<Double> betas = t.numbers("optimizer.betas", List.of(0.9, 0.98));
    check(t, "optimizer.betas", betas.size() == 2, "must be two numbers, e.g. [0.9, 0.98]");
    OptimizerSettings optimizer = new OptimizerSettings(optimizerName, lr, betas.get(0), betas.get(1),
        t.number("optimizer.eps", 1e-6), t.number("optimizer.weight_decay", 1e-5),
        t.number("optimizer.max_lr", lr), t.flag("optimizer.decouple_lr", true),
        t.number("optimizer.clip_grad_norm", 0));

    Budget budget = new Budget(t.tokens("budget.tokens", 0), t.integer("budget.steps", 0));
    check(t, "budget", budget.tokens() > 0 || budget.steps() > 0, "needs tokens or steps");

    String scheduleName = t.string("schedule.name", "warmup_stable_decay");
    check(t, "schedule.name", List.of("warmup_stable_decay", "constant", "one_minus_sqrt").contains(scheduleName),
        "must be warmup_stable_decay, constant or one_minus_sqrt, got '" + scheduleName + "'");
    long defaultDecay = scheduleName.equals("one_minus_sqrt") ? budget.tokens() : 0;
    Schedule schedule = new Schedule(scheduleName, t.tokens("schedule.warmup_tokens", 0),
        t.tokens("schedule.decay_tokens", defaultDecay), t.number("schedule.alpha_f", 0.001));
    check(t, "schedule.decay_tokens", !scheduleName.equals("one_minus_sqrt") || schedule.decayTokens() > 0,
        "is required for one_minus_sqrt when budget.tokens is not set");
    check(t, "schedule.decay_tokens",
        !scheduleName.equals("warmup_stable_decay") || schedule.decayTokens() == 0 || budget.tokens() > 0,
        "needs budget.tokens (the decay ends there)");

    int size = positiveInt(t, "batch.size", 0);
    int microSize = positiveInt(t, "batch.micro_size", size);
    check(t, "batch.size", size % microSize == 0, "(" + size + ") must be a multiple of batch.micro_size ("
        + microSize + ")");
    int warmupMin = positiveInt(t, "batch.warmup_min_size", microSize);
    check(t, "batch.warmup_min_size", warmupMin % microSize == 0 && warmupMin <= size,
        "must be a multiple of batch.micro_size and at most batch.size");
    String checkpointing = t.string("batch.activation_checkpointing", "auto");
    check(t, "batch.activation_checkpointing", List.of("auto", "true", "false").contains(checkpointing),
        "must be auto, true or false, got '" + checkpointing + "'");
    Batch batch = new Batch(size, microSize, t.tokens("batch.warmup_tokens", 0), warmupMin, checkpointing);

    Checkpoints checkpoint = new Checkpoints(Path.of(t.requiredString("checkpoint.dir")),
        t.integer("checkpoint.every_steps", 1000), positiveInt(t, "checkpoint.keep_last", 3));
    Eval eval = new Eval(t.integer("eval.every_steps", checkpoint.everySteps()), t.tokens("eval.max_tokens", 1_000_000));
    Log log = new Log(t.number("log.every_seconds", 30));

    StageConfig config = new StageConfig(t.string("stage", "train"), t.integer("seed", 17), initFrom,
        t.flag("reset_optimizer", false), model, data, mlm, optimizer, schedule, batch, budget, checkpoint, eval,
        log, (int) t.integer("threads", 0));
    t.rejectUnknownKeys();
    return config;
  }

  /**
   * The seed of the data order, the masks and dropout: {@code seed} mixed with the stage name, so that stages
   * that train on the same shards do not read them in the same order.
   */
  public long stageSeed() {
    return new SeededRandom(seed, stage.hashCode()).nextLong();
  }

  /** The stage's learning-rate schedule, in tokens. */
  public LearningRateSchedule learningRateSchedule() {
    return switch (schedule.name()) {
      case "constant" -> new LearningRateSchedule.Constant(schedule.warmupTokens());
      case "one_minus_sqrt" -> new LearningRateSchedule.OneMinusSqrt(schedule.warmupTokens(),
          schedule.decayTokens(), schedule.alphaF());
      default -> new LearningRateSchedule.WarmupStableDecay(schedule.warmupTokens(), budget.tokens(),
          schedule.decayTokens(), schedule.alphaF());
    };
  }

  public BatchSizeWarmup batchSizeWarmup() {
    return new BatchSizeWarmup(batch.warmupMinSize() / batch.microSize(), batch.microBatches(),
        batch.warmupTokens());
  }

  private static <T> T choice(ConfigTree t, String key, String fallback, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(t.string(key, fallback));
    } catch (IllegalArgumentException e) {
      throw t.error(key, e.getMessage());
    }
  }

  private static Integer integerOrNull(ConfigTree t, String key) {
    return t.get(key) == null ? null : (int) t.integer(key, 0);
  }

  private static int positiveInt(ConfigTree t, String key, int fallback) {
    long value = t.integer(key, fallback);
    check(t, key, value > 0 && value <= Integer.MAX_VALUE, "must be a positive whole number, got " + value);
    return (int) value;
  }

  private static void check(ConfigTree t, String key, boolean ok, String problem) {
    if (!ok) {
      throw t.error(key, problem);
    }
  }
}
