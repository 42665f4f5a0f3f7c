package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.ShardManifest;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.export.HfConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a stage's weights, optimizer moments and position come from: the latest checkpoint of its own
 * folder ({@code --resume}), the previous stage's checkpoint or a Hugging Face directory
 * ({@code init_from}; the schedule restarts, as the recipe's {@code reset_time} does), or a fresh
 * initialisation. The model config is the source's with this stage's RoPE θ, window and dropout.
 *
 * @param weights folder holding {@code config.json} + {@code model.safetensors}, or {@code null} for fresh
 * @param moments the optimizer moments to continue from, or {@code null} to start them at zero
 * @param optimizerSteps the optimizer's step count that goes with {@code moments}
 * @param resumed the checkpoint's state when resuming this stage, else {@code null}
 * @param tokenizerSha256 the tokenizer the weights were trained with, if known
 */
public record StageStart(ModernBertConfig modelConfig, Path weights, Path moments, long optimizerSteps,
    TrainingState resumed, String tokenizerSha256, String source) {

  public static final String MOMENTS_FILE = "optimizer.safetensors";
  /** Vocabularies are padded to a multiple of this, as ModernBERT's 50,368 is. */
  static final int VOCAB_MULTIPLE = 64;

  public long step() {
    return resumed == null ? 0 : resumed.step();
  }

  public long tokens() {
    return resumed == null ? 0 : resumed.tokens();
  }

  public DataPosition dataPosition() {
    return resumed == null ? DataPosition.START : resumed.dataPosition();
  }

  public static StageStart resolve(StageConfig config, boolean resume, ShardManifest manifest) throws IOException {
    CheckpointFolders folders = new CheckpointFolders(config.checkpoint().dir(), config.checkpoint().keepLast());
    Optional<Path> own = folders.latest();
    if (resume) {
      Path checkpoint = own.orElseThrow(() -> new IOException("--resume: " + config.checkpoint().dir()
          + " holds no checkpoint to resume from"));
      TrainingState state = TrainingState.read(checkpoint);
      return new StageStart(withStageSettings(HfConfig.read(checkpoint.resolve("config.json")), config),
          checkpoint, checkpoint.resolve(MOMENTS_FILE), state.optimizerSteps(), state, state.tokenizerSha256(),
          checkpoint.toString());
    }
    if (own.isPresent()) {
      throw new IOException(config.checkpoint().dir() + " already holds checkpoints (" + own.get().getFileName()
          + "): pass --resume to continue that run, or choose another checkpoint.dir");
    }
    if (config.initFrom() != null) {
      return fromInit(config, Path.of(config.initFrom()));
    }
    return fresh(config, manifest);
  }

  private static StageStart fromInit(StageConfig config, Path path) throws IOException {
    Optional<Path> checkpoint = Files.isDirectory(path) ? CheckpointFolders.resolve(path) : Optional.empty();
    if (checkpoint.isPresent()) {
      Path dir = checkpoint.get();
      TrainingState state = TrainingState.read(dir);
      ModernBertConfig model = checkShape(HfConfig.read(dir.resolve("config.json")), config, dir);
      boolean keep = !config.resetOptimizer() && Files.isRegularFile(dir.resolve(MOMENTS_FILE));
      return new StageStart(withStageSettings(model, config), dir, keep ? dir.resolve(MOMENTS_FILE) : null,
          keep ? state.optimizerSteps() : 0, null, state.tokenizerSha256(), dir.toString());
    }
    if (Files.isRegularFile(path.resolve("config.json"))) {
      ModernBertConfig model = checkShape(HfConfig.read(path.resolve("config.json")), config, path);
      return new StageStart(withStageSettings(model, config), path, null, 0, null,
          TokenizerCheck.sha256(path.resolve("tokenizer.json")), path.toString());
    }
    throw new IOException("init_from " + path + " is neither a checkpoint, a stage folder with checkpoints, nor a "
        + "Hugging Face model directory (config.json + model.safetensors)");
  }

  private static StageStart fresh(StageConfig config, ShardManifest manifest) {
    ModernBertConfig.Preset preset = ModernBertConfig.Preset.named(config.model().preset());
    int vocab = config.model().vocabSize() != null ? config.model().vocabSize()
        : (manifest.vocabSize() + VOCAB_MULTIPLE - 1) / VOCAB_MULTIPLE * VOCAB_MULTIPLE;
    SpecialTokens specials = manifest.specialTokenIds();
    int cls = specials.cls() != null ? specials.cls() : specials.pad();
    int sep = specials.sep() != null ? specials.sep() : specials.pad();
    ModernBertConfig.Builder builder = ModernBertConfig.preset(preset).vocabSize(vocab).padTokenId(specials.pad())
        .clsTokenId(cls).bosTokenId(cls).sepTokenId(sep).eosTokenId(sep);
    StageConfig.Model m = config.model();
    if (m.hiddenSize() != null) {
      builder.hiddenSize(m.hiddenSize());
    }
    if (m.numHiddenLayers() != null) {
      builder.numHiddenLayers(m.numHiddenLayers());
    }
    if (m.numAttentionHeads() != null) {
      builder.numAttentionHeads(m.numAttentionHeads());
    }
    if (m.intermediateSize() != null) {
      builder.intermediateSize(m.intermediateSize());
    }
    ModernBertConfig model = builder.build();
    return new StageStart(withStageSettings(model, config), null, null, 0, null, null,
        "initialised from preset " + preset.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Refuses a preset, size or vocabulary in the stage config that contradicts the weights it starts from. */
  private static ModernBertConfig checkShape(ModernBertConfig loaded, StageConfig config, Path source) {
    StageConfig.Model m = config.model();
    if (m.hiddenSize() != null || m.numHiddenLayers() != null || m.numAttentionHeads() != null
        || m.intermediateSize() != null) {
      throw new IllegalArgumentException("model size keys (hidden_size, num_hidden_layers, num_attention_heads, "
          + "intermediate_size) only shape a fresh model; the shape comes from " + source);
    }
    if (config.model().vocabSize() != null && config.model().vocabSize() != loaded.vocabSize()) {
      throw new IllegalArgumentException("model.vocab_size " + config.model().vocabSize() + " contradicts "
          + source + " (vocab_size " + loaded.vocabSize() + ")");
    }
    if (config.model().preset() != null) {
      ModernBertConfig preset = ModernBertConfig.preset(ModernBertConfig.Preset.named(config.model().preset()))
          .vocabSize(loaded.vocabSize()).padTokenId(loaded.padTokenId()).build();
      if (preset.hiddenSize() != loaded.hiddenSize() || preset.numHiddenLayers() != loaded.numHiddenLayers()
          || preset.intermediateSize() != loaded.intermediateSize()
          || preset.numAttentionHeads() != loaded.numAttentionHeads()) {
        throw new IllegalArgumentException("model.preset " + config.model().preset() + " contradicts the shape of "
            + source + "; leave model.preset out when starting from init_from");
      }
    }
    return loaded;
  }

  /** The stage's settings that hold no weights: RoPE θ, the local window, dropout, the maximum length. */
  static ModernBertConfig withStageSettings(ModernBertConfig model, StageConfig config) {
    StageConfig.Model m = config.model();
    ModernBertConfig.Builder b = model.toBuilder()
        .attentionOutputDropout((float) m.attentionOutputDropout())
        .attention(m.attention())
        .attentionPrecision(m.attentionPrecision())
        .maxPositionEmbeddings(Math.max(model.maxPositionEmbeddings(), config.data().maxSeqLen()));
    if (m.globalRopeTheta() != null) {
      b.globalRopeTheta(m.globalRopeTheta());
    }
    if (m.localRopeTheta() != null) {
      b.localRopeTheta(m.localRopeTheta());
    }
    if (m.localAttention() != null) {
      b.localAttention(m.localAttention());
    }
    if (m.globalAttnEveryNLayers() != null) {
      b.globalAttnEveryNLayers(m.globalAttnEveryNLayers());
    }
    return b.build();
  }
}
