package dev.bertforge.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * A block whose parameters carry their Hugging Face state-dict names, so weights map one-to-one onto
 * {@code model.safetensors} keys (e.g. {@code model.layers.3.attn.Wqkv.weight}).
 */
public interface NamedParameters {

  /** Receives each parameter with its HF name, its expected shape and the σ of its truncated-normal init. */
  interface Visitor {
    void visit(String name, Parameter parameter, Shape shape, Init init);
  }

  /** How a parameter starts: truncated normal with this σ (cut at ±cutoff·σ), or all ones (LayerNorm), or zeros. */
  final class Init {
    public static final Init ONES = new Init(Kind.ONES, 0);
    public static final Init ZEROS = new Init(Kind.ZEROS, 0);

    /** The three starting values a ModernBERT parameter can have. */
    public enum Kind {
      TRUNCATED_NORMAL,
      ONES,
      ZEROS
    }

    public final Kind kind;
    public final double std;

    private Init(Kind kind, double std) {
      this.kind = kind;
      this.std = std;
    }

    public static Init truncatedNormal(double std) {
      return new Init(Kind.TRUNCATED_NORMAL, std);
    }
  }

  /** Visits this block's parameters, each name prefixed with {@code prefix} (which ends in a dot or is empty). */
  void visitParameters(String prefix, Visitor visitor);
}
