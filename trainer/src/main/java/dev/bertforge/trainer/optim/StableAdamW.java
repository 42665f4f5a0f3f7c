package dev.bertforge.trainer.optim;

import ai.djl.ndarray.NDArray;

/**
 * StableAdamW as ModernBERT trains with it ({@code src/optimizer.py}, a fork of optimi's StableAdamW): Adam
 * with debiased betas, the learning rate divided per tensor by {@code max(1, RMS(g / sqrt(v)))}
 * (Adafactor-style update clipping), and weight decay fully decoupled from the learning rate's size.
 *
 * <p>Step t: {@code β̂ = (β^t − β)/(β^t − 1)}; {@code m ← m + (1−β̂1)(g − m)}; {@code v ← β̂2·v + (1−β̂2)·g²};
 * {@code rms = sqrt(mean(g² / max(v, eps²)))}; {@code η = lr / max(1, rms)}; {@code p ← p·(1 − η/maxLr·wd)}
 * (or {@code p·(1 − η·wd)} when not fully decoupled); {@code p ← p − η·m / (sqrt(v) + eps)}.
 */
public final class StableAdamW extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final double maxLr;
  private final boolean fullyDecoupled;

  /**
   * @param maxLr the schedule's peak learning rate; the weight decay applied is {@code (η / maxLr) · wd}
   * @param fullyDecoupled the recipe's {@code decouple_lr=True}; false gives AdamW-style {@code η · wd}
   */
  public StableAdamW(double beta1, double beta2, double eps, double weightDecay, double maxLr,
      boolean fullyDecoupled) {
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
    }
    if (fullyDecoupled && weightDecay != 0 && !(maxLr > 0)) {
      throw new IllegalArgumentException("fully decoupled weight decay needs a positive max_lr, got " + maxLr);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.maxLr = maxLr;
    this.fullyDecoupled = fullyDecoupled;
  }

  @Override
  public String name() {
    return "stable_adamw";
  }

  /** optimi's {@code debias_beta}: Adam's bias correction folded into the decay rate (0 at t = 1). */
  static double debiasBeta(double beta, long t) {
    double betaT = Math.pow(beta, t);
    return (betaT - beta) / (betaT - 1);
  }

  @Override
  protected void update(NDArray weight, NDArray grad, NDArray expAvg, NDArray expAvgSq, long t, double lr,
      boolean decays) {
    double beta1Hat = debiasBeta(beta1, t);
    double beta2Hat = debiasBeta(beta2, t);
    expAvg.addi(grad.sub(expAvg).muli(1 - beta1Hat));
    expAvgSq.muli(beta2Hat).addi(grad.square().muli(1 - beta2Hat));

    double rms = Math.sqrt(grad.square().divi(expAvgSq.maximum(eps * eps)).mean().getFloat());
    double stepLr = lr / Math.max(1, rms);
    if (decays && weightDecay != 0) {
      weight.muli(1 - (fullyDecoupled ? stepLr / maxLr : stepLr) * weightDecay);
    }
    weight.subi(expAvg.div(expAvgSq.sqrt().addi(eps)).muli(stepLr));
  }
}
