package dev.bertforge.trainer.optim;

import ai.djl.ndarray.NDArray;

/**
 * AdamW as {@code torch.optim.AdamW} computes it: {@code p ← p·(1 − lr·wd)}, then the bias-corrected Adam
 * step {@code p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)}.
 */
public final class AdamW extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  public AdamW(double beta1, double beta2, double eps, double weightDecay) {
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  @Override
  public String name() {
    return "adamw";
  }

  @Override
  protected void update(NDArray weight, NDArray grad, NDArray expAvg, NDArray expAvgSq, long t, double lr,
      boolean decays) {
    if (decays && weightDecay != 0) {
      weight.muli(1 - lr * weightDecay);
    }
    expAvg.muli(beta1).addi(grad.mul(1 - beta1));
    expAvgSq.muli(beta2).addi(grad.square().muli(1 - beta2));
    double stepSize = lr / (1 - Math.pow(beta1, t));
    double secondCorrection = Math.sqrt(1 - Math.pow(beta2, t));
    weight.subi(expAvg.div(expAvgSq.sqrt().divi(secondCorrection).addi(eps)).muli(stepSize));
  }
}
