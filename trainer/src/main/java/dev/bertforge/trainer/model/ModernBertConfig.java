package dev.bertforge.trainer.model;

import java.util.Locale;
import java.util.Objects;

/**
 * The shape and hyperparameters of a ModernBERT encoder, as Hugging Face's {@code ModernBertConfig} names them,
 * plus the training-only attention-output dropout of the original recipe.
 *
 * <p>Layer {@code i} uses global attention when {@code i % globalAttnEveryNLayers == 0} (RoPE θ =
 * {@link #globalRopeTheta()}), otherwise attention to the {@code ±localAttention/2} neighbouring tokens (θ =
 * {@link #localRopeTheta()}). Stage 1 of the recipe trains with θ 10000 everywhere; context extension raises the
 * global θ to 160000.
 */
public final class ModernBertConfig {

  /** Named sizes; the vocabulary comes from the tokenizer. */
  public enum Preset {
    /** 4 × 256, 4 heads, GLU 384: the CPU speed-bar size (2.3M parameters besides the embeddings). */
    TINY(4, 256, 4, 384),
    /** 10 × 384, 6 heads, GLU 576 (Ettin's 32M shape). */
    MINI(10, 384, 6, 576),
    /** ModernBERT-base: 22 × 768, 12 heads, GLU 1152. */
    BASE(22, 768, 12, 1152),
    /** ModernBERT-large: 28 × 1024, 16 heads, GLU 2624. */
    LARGE(28, 1024, 16, 2624);

    final int layers;
    final int hidden;
    final int heads;
    final int intermediate;

    Preset(int layers, int hidden, int heads, int intermediate) {
      this.layers = layers;
      this.hidden = hidden;
      this.heads = heads;
      this.intermediate = intermediate;
    }

    /** The preset by its lower-case name ({@code tiny}, {@code mini}, {@code base}, {@code large}). */
    public static Preset named(String name) {
      for (Preset p : values()) {
        if (p.name().equalsIgnoreCase(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown model size '" + name + "' (tiny, mini, base, large)");
    }
  }

  /** HF's default special-token ids (ModernBERT-base's tokenizer); a config built from a tokenizer overrides them. */
  public static final int HF_PAD_ID = 50283;

  private final int vocabSize;
  private final int hiddenSize;
  private final int intermediateSize;
  private final int numHiddenLayers;
  private final int numAttentionHeads;
  private final int globalAttnEveryNLayers;
  private final int localAttention;
  private final double globalRopeTheta;
  private final double localRopeTheta;
  private final double normEps;
  private final int maxPositionEmbeddings;
  private final double initializerRange;
  private final double initializerCutoffFactor;
  private final float attentionDropout;
  private final float attentionOutputDropout;
  private final int padTokenId;
  private final int bosTokenId;
  private final int eosTokenId;
  private final int clsTokenId;
  private final int sepTokenId;
  private final AttentionImplementation attention;
  private final AttentionPrecision attentionPrecision;

  private ModernBertConfig(Builder b) {
    this.vocabSize = b.vocabSize;
    this.hiddenSize = b.hiddenSize;
    this.intermediateSize = b.intermediateSize;
    this.numHiddenLayers = b.numHiddenLayers;
    this.numAttentionHeads = b.numAttentionHeads;
    this.globalAttnEveryNLayers = b.globalAttnEveryNLayers;
    this.localAttention = b.localAttention;
    this.globalRopeTheta = b.globalRopeTheta;
    this.localRopeTheta = b.localRopeTheta;
    this.normEps = b.normEps;
    this.maxPositionEmbeddings = b.maxPositionEmbeddings;
    this.initializerRange = b.initializerRange;
    this.initializerCutoffFactor = b.initializerCutoffFactor;
    this.attentionDropout = b.attentionDropout;
    this.attentionOutputDropout = b.attentionOutputDropout;
    this.padTokenId = b.padTokenId;
    this.bosTokenId = b.bosTokenId;
    this.eosTokenId = b.eosTokenId;
    this.clsTokenId = b.clsTokenId;
    this.sepTokenId = b.sepTokenId;
    this.attention = b.attention;
    this.attentionPrecision = b.attentionPrecision;
    validate();
  }

  private void validate() {
    require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
    require(hiddenSize > 0 && numAttentionHeads > 0, "hidden_size and num_attention_heads must be positive");
    require(hiddenSize % numAttentionHeads == 0,
        "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    require(headDim() % 2 == 0, "head dim " + headDim() + " must be even for RoPE");
    require(intermediateSize > 0, "intermediate_size must be positive");
    require(numHiddenLayers > 0, "num_hidden_layers must be positive");
    require(globalAttnEveryNLayers > 0, "global_attn_every_n_layers must be positive");
    require(localAttention >= 2 && localAttention % 2 == 0,
        "local_attention must be an even window of at least 2 tokens, got " + localAttention);
    require(globalRopeTheta > 0 && localRopeTheta > 0, "RoPE theta must be positive");
    require(padTokenId >= 0 && padTokenId < vocabSize,
        "pad_token_id " + padTokenId + " is outside the vocabulary (" + vocabSize + ")");
    require(attentionDropout >= 0 && attentionDropout < 1, "attention_dropout must be in [0, 1)");
    require(attentionOutputDropout >= 0 && attentionOutputDropout < 1,
        "attention_output_dropout must be in [0, 1)");
    require(attention != AttentionImplementation.EAGER || attentionPrecision == AttentionPrecision.FLOAT32,
        "eager attention runs in float32 only; attention precision " + attentionPrecision + " needs fused attention");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("model config: " + message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with a preset's sizes and the recipe's defaults; set the vocabulary and special ids. */
  public static Builder preset(Preset preset) {
    return builder()
        .numHiddenLayers(preset.layers)
        .hiddenSize(preset.hidden)
        .numAttentionHeads(preset.heads)
        .intermediateSize(preset.intermediate);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabSize;
    b.hiddenSize = hiddenSize;
    b.intermediateSize = intermediateSize;
    b.numHiddenLayers = numHiddenLayers;
    b.numAttentionHeads = numAttentionHeads;
    b.globalAttnEveryNLayers = globalAttnEveryNLayers;
    b.localAttention = localAttention;
    b.globalRopeTheta = globalRopeTheta;
    b.localRopeTheta = localRopeTheta;
    b.normEps = normEps;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.initializerRange = initializerRange;
    b.initializerCutoffFactor = initializerCutoffFactor;
    b.attentionDropout = attentionDropout;
    b.attentionOutputDropout = attentionOutputDropout;
    b.padTokenId = padTokenId;
    b.bosTokenId = bosTokenId;
    b.eosTokenId = eosTokenId;
    b.clsTokenId = clsTokenId;
    b.sepTokenId = sepTokenId;
    b.attention = attention;
    b.attentionPrecision = attentionPrecision;
    return b;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  /** Half the width of {@code Wi}'s output: the GLU's GELU half and gate half are each this wide. */
  public int intermediateSize() {
    return intermediateSize;
  }

  public int numHiddenLayers() {
    return numHiddenLayers;
  }

  public int numAttentionHeads() {
    return numAttentionHeads;
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  public int globalAttnEveryNLayers() {
    return globalAttnEveryNLayers;
  }

  /** The full local window in tokens (128 in ModernBERT): each token sees {@link #slidingWindow()} on each side. */
  public int localAttention() {
    return localAttention;
  }

  /** Keys a local-attention query sees on each side: {@code |i − j| <= localAttention / 2}. */
  public int slidingWindow() {
    return localAttention / 2;
  }

  public boolean isGlobalLayer(int layer) {
    return layer % globalAttnEveryNLayers == 0;
  }

  public double globalRopeTheta() {
    return globalRopeTheta;
  }

  public double localRopeTheta() {
    return localRopeTheta;
  }

  public double ropeTheta(int layer) {
    return isGlobalLayer(layer) ? globalRopeTheta : localRopeTheta;
  }

  public double normEps() {
    return normEps;
  }

  public int maxPositionEmbeddings() {
    return maxPositionEmbeddings;
  }

  public double initializerRange() {
    return initializerRange;
  }

  public double initializerCutoffFactor() {
    return initializerCutoffFactor;
  }

  /** Dropout on the attention probabilities (HF {@code attention_dropout}); 0 in the recipe. */
  public float attentionDropout() {
    return attentionDropout;
  }

  /** Dropout after {@code attn.Wo} during training (the recipe's {@code attn_out_dropout_prob}, 0.1). */
  public float attentionOutputDropout() {
    return attentionOutputDropout;
  }

  public int padTokenId() {
    return padTokenId;
  }

  public int bosTokenId() {
    return bosTokenId;
  }

  public int eosTokenId() {
    return eosTokenId;
  }

  public int clsTokenId() {
    return clsTokenId;
  }

  public int sepTokenId() {
    return sepTokenId;
  }

  /**
   * How attention is computed: fused, eager, or auto (fused where PyTorch's kernels load). A run-time setting like
   * the dropout: it holds no weights and is not exported.
   */
  public AttentionImplementation attention() {
    return attention;
  }

  /** The precision of the attention itself (fused attention only; the model stays float32). */
  public AttentionPrecision attentionPrecision() {
    return attentionPrecision;
  }

  /** Parameters of the MLM model, the tied decoder counted once. */
  public long parameterCount() {
    long h = hiddenSize;
    long perLayer = h * 3 * h + h * h + h + h * 2L * intermediateSize + (long) intermediateSize * h + h;
    return (long) vocabSize * h + h + numHiddenLayers * perLayer - h + h + h * h + h + vocabSize;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "ModernBERT %d layers x %d hidden, %d heads, GLU %d, vocab %d, global every %d (theta %.0f), "
            + "local window %d (theta %.0f), %,d parameters",
        numHiddenLayers, hiddenSize, numAttentionHeads, intermediateSize, vocabSize, globalAttnEveryNLayers,
        globalRopeTheta, localAttention, localRopeTheta, parameterCount());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModernBertConfig)) {
      return false;
    }
    ModernBertConfig c = (ModernBertConfig) o;
    return vocabSize == c.vocabSize && hiddenSize == c.hiddenSize && intermediateSize == c.intermediateSize
        && numHiddenLayers == c.numHiddenLayers && numAttentionHeads == c.numAttentionHeads
        && globalAttnEveryNLayers == c.globalAttnEveryNLayers && localAttention == c.localAttention
        && globalRopeTheta == c.globalRopeTheta && localRopeTheta == c.localRopeTheta && normEps == c.normEps
        && maxPositionEmbeddings == c.maxPositionEmbeddings && initializerRange == c.initializerRange
        && initializerCutoffFactor == c.initializerCutoffFactor && attentionDropout == c.attentionDropout
        && attentionOutputDropout == c.attentionOutputDropout && padTokenId == c.padTokenId
        && bosTokenId == c.bosTokenId && eosTokenId == c.eosTokenId && clsTokenId == c.clsTokenId
        && sepTokenId == c.sepTokenId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
        globalAttnEveryNLayers, localAttention, globalRopeTheta, localRopeTheta, padTokenId);
  }

  /** Defaults are ModernBERT-base's, except θ: 10000 for both layer kinds, as stage 1 of the recipe trains. */
  public static final class Builder {
    private int vocabSize = 50368;
    private int hiddenSize = 768;
    private int intermediateSize = 1152;
    private int numHiddenLayers = 22;
    private int numAttentionHeads = 12;
    private int globalAttnEveryNLayers = 3;
    private int localAttention = 128;
    private double globalRopeTheta = 10000.0;
    private double localRopeTheta = 10000.0;
    private double normEps = 1e-5;
    private int maxPositionEmbeddings = 8192;
    private double initializerRange = 0.02;
    private double initializerCutoffFactor = 2.0;
    private float attentionDropout = 0f;
    private float attentionOutputDropout = 0.1f;
    private int padTokenId = HF_PAD_ID;
    private int bosTokenId = 50281;
    private int eosTokenId = 50282;
    private int clsTokenId = 50281;
    private int sepTokenId = 50282;
    private AttentionImplementation attention = AttentionImplementation.AUTO;
    private AttentionPrecision attentionPrecision = AttentionPrecision.FLOAT32;

    private Builder() {}

    public Builder attention(AttentionImplementation v) {
      attention = v;
      return this;
    }

    public Builder attentionPrecision(AttentionPrecision v) {
      attentionPrecision = v;
      return this;
    }

    public Builder vocabSize(int v) {
      vocabSize = v;
      return this;
    }

    public Builder hiddenSize(int v) {
      hiddenSize = v;
      return this;
    }

    public Builder intermediateSize(int v) {
      intermediateSize = v;
      return this;
    }

    public Builder numHiddenLayers(int v) {
      numHiddenLayers = v;
      return this;
    }

    public Builder numAttentionHeads(int v) {
      numAttentionHeads = v;
      return this;
    }

    public Builder globalAttnEveryNLayers(int v) {
      globalAttnEveryNLayers = v;
      return this;
    }

    public Builder localAttention(int v) {
      localAttention = v;
      return this;
    }

    public Builder globalRopeTheta(double v) {
      globalRopeTheta = v;
      return this;
    }

    public Builder localRopeTheta(double v) {
      localRopeTheta = v;
      return this;
    }

    public Builder normEps(double v) {
      normEps = v;
      return this;
    }

    public Builder maxPositionEmbeddings(int v) {
      maxPositionEmbeddings = v;
      return this;
    }

    public Builder initializerRange(double v) {
      initializerRange = v;
      return this;
    }

    public Builder initializerCutoffFactor(double v) {
      initializerCutoffFactor = v;
      return this;
    }

    public Builder attentionDropout(float v) {
      attentionDropout = v;
      return this;
    }

    public Builder attentionOutputDropout(float v) {
      attentionOutputDropout = v;
      return this;
    }

    public Builder padTokenId(int v) {
      padTokenId = v;
      return this;
    }

    public Builder bosTokenId(int v) {
      bosTokenId = v;
      return this;
    }

    public Builder eosTokenId(int v) {
      eosTokenId = v;
      return this;
    }

    public Builder clsTokenId(int v) {
      clsTokenId = v;
      return this;
    }

    public Builder sepTokenId(int v) {
      sepTokenId = v;
      return this;
    }

    public ModernBertConfig build() {
      return new ModernBertConfig(this);
    }
  }
}
