package dev.bertforge.trainer.cli;

import dev.bertforge.trainer.train.StageConfig;
import dev.bertforge.trainer.train.StageTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code ./bertforge train --config=FILE.yaml [--set key=value ...] [--resume]}: one training stage. */
public final class TrainCommand {
  static final String HELP = """
      Usage: ./bertforge train --config=FILE.yaml [--set key=value ...] [--resume]

      Trains one stage (pretrain, context extension, decay) as FILE.yaml describes it; examples are in
      examples/configs/{tiny,base}/ and every key is described in the README's "train" section.

        --config=FILE     the stage's YAML config (required)
        --set key=value   override a config key, e.g. --set optimizer.lr=3e-4 --set budget.tokens=20M
                          (repeatable; the value is read as YAML)
        --resume          continue from the latest checkpoint in checkpoint.dir, exactly where it stopped

      Writes to checkpoint.dir: step-NNNNNNNN/ checkpoints (config.json, model.safetensors, tokenizer/,
      optimizer.safetensors, trainer_state.json), metrics.jsonl and loss.png.""";

  private TrainCommand() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> train(args));
  }

  static StageTrainer.Result train(String[] args) throws IOException {
    CliArgs options = CliArgs.parse(args, List.of("config", "resume"), List.of("set"));
    StageConfig config = StageConfig.load(options.requiredPath("config"), options.all("set"));
    return new StageTrainer(config, options.flag("resume")).run();
  }
}
