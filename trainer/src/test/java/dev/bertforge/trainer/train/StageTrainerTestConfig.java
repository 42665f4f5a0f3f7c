package dev.bertforge.trainer.train;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The stage config of the trainer tests: a 3-layer, 32-wide ModernBERT on the fixture shards. */
public final class StageTrainerTestConfig {
  private StageTrainerTestConfig() {}

  /** Dropout on, batch-size warmup, LR warmup, checkpoints and evaluation every 10 steps, 30 steps. */
  public static String yaml(Path checkpointDir) throws URISyntaxException {
    Path shards = Path.of(StageTrainerTestConfig.class.getResource("/shards/plain/manifest.json").toURI()).getParent();
    Path validation = shards.resolveSibling("gzip");
    return """
        stage: pretrain
        seed: 5
        model: {preset: tiny, hidden_size: 32, num_hidden_layers: 3, num_attention_heads: 2,
                intermediate_size: 48, local_attention: 8, attention_output_dropout: 0.1}
        data: {train: %s, validation: %s, max_seq_len: 24, shuffle_window_mb: 0.001, prefetch_steps: 2}
        optimizer: {lr: 3e-3, weight_decay: 1e-2}
        schedule: {name: warmup_stable_decay, warmup_tokens: 300}
        batch: {size: 4, micro_size: 2, warmup_tokens: 400, warmup_min_size: 2}
        budget: {steps: 30}
        checkpoint: {dir: %s, every_steps: 10, keep_last: 5}
        eval: {every_steps: 10, max_tokens: 0}
        log: {every_seconds: 1000}
        """.formatted(shards, validation, checkpointDir);
  }
}
