package dev.bertforge.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;

/**
 * The global L2 norm of all gradients and, optionally, {@code torch.nn.utils.clip_grad_norm_}'s rescaling
 * (DJL's {@code optClipGrad} only clamps each value from above, so it is not used).
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** The L2 norm over every gradient of {@code parameters}, as one vector. */
  public static double globalNorm(List<NamedParameter> parameters) {
    double sumOfSquares = 0;
    for (NamedParameter parameter : parameters) {
      if (parameter.array().hasGradient()) {
        try (NDScope scope = new NDScope()) {
          sumOfSquares += parameter.array().getGradient().square().sum().getFloat();
        }
      }
    }
    return Math.sqrt(sumOfSquares);
  }

  /**
   * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when their global norm exceeds {@code maxNorm}.
   *
   * @return the norm before clipping
   */
  public static double clipGlobalNorm(List<NamedParameter> parameters, double maxNorm) {
    double norm = globalNorm(parameters);
    double scale = maxNorm / (norm + 1e-6);
    if (scale < 1) {
      for (NamedParameter parameter : parameters) {
        if (parameter.array().hasGradient()) {
          try (NDScope scope = new NDScope()) {
            NDArray gradient = parameter.array().getGradient();
            gradient.muli(scale);
          }
        }
      }
    }
    return norm;
  }
}
