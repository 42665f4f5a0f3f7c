package dev.bertforge.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one training step with PyTorch's profiler when the JVM is started with {@code -Dbertforge.profileStep=N}
 * (e.g. {@code BERTFORGE_JVM_OPTS=-Dbertforge.profileStep=3}): every libtorch op of step N, forward, backward and
 * optimizer, with input shapes, written as a Chrome trace ({@code chrome://tracing}, Perfetto) to
 * {@code profile-step-N.json} in the stage folder. Off by default: profiling slows the step it records.
 */
final class StepProfiler {

  static final String PROPERTY = "bertforge.profileStep";
  private static final Logger LOG = LoggerFactory.getLogger(StepProfiler.class);

  private final long profiledStep;
  private final Path dir;
  private boolean running;

  StepProfiler(Path dir) {
    this.profiledStep = Long.getLong(PROPERTY, -1L);
    this.dir = dir;
  }

  /** Before step {@code step} runs. */
  void beforeStep(long step) {
    if (step == profiledStep && "PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.startProfile(false, true, false);
      running = true;
    }
  }

  /** After step {@code step} has updated the weights. */
  void afterStep(long step) {
    if (running) {
      running = false;
      Path file = dir.resolve("profile-step-" + step + ".json");
      JniUtils.stopProfile(file.toString());
      LOG.info("step {} profiled: {}", step, file);
    }
  }
}
