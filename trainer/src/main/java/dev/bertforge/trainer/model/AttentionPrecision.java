package dev.bertforge.trainer.model;

/**
 * The precision of the attention itself ({@code model.attention_precision}); what goes into and comes out of it is
 * float32 whatever this is, because DJL 0.36 cannot hold a bfloat16 tensor. Lower precisions need fused attention.
 */
public enum AttentionPrecision {
  FLOAT32, BFLOAT16, FLOAT16;

  public static AttentionPrecision named(String name) {
    return switch (name) {
      case "fp32", "float32" -> FLOAT32;
      case "bf16", "bfloat16" -> BFLOAT16;
      case "fp16", "float16" -> FLOAT16;
      default -> throw new IllegalArgumentException("attention precision must be fp32, bf16 or fp16, got '"
          + name + "'");
    };
  }
}
