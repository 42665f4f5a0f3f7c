package dev.bertforge.trainer.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the machine has and what the process has used: the figures a user sizing {@code batch.micro_size} needs.
 * The process's peak resident memory comes from Linux's {@code /proc/self/status} (VmHWM); on a GPU, the device's
 * memory in use (PyTorch's caching allocator keeps what the largest step needed).
 */
public final class MemoryUse {
  private MemoryUse() {}

  /** Peak resident set size of this process in bytes, or -1 where the system does not say. */
  public static long peakResidentBytes() {
    return statusBytes("VmHWM:");
  }

  /** Memory training can use on {@code device}: the GPU's memory, or the machine's physical memory on a CPU. */
  public static long deviceBytes(Device device) {
    if (device.isGpu()) {
      return CudaUtils.getGpuMemory(device).getMax();
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  /** One line: the process's peak RSS and, on a GPU, the device memory in use. */
  public static String describe(Device device) {
    StringBuilder line = new StringBuilder();
    long peak = peakResidentBytes();
    line.append("peak resident memory ").append(peak < 0 ? "unknown" : gib(peak));
    if (device.isGpu()) {
      MemoryUsage gpu = CudaUtils.getGpuMemory(device);
      line.append(", ").append(device).append(" memory in use ").append(gib(gpu.getUsed())).append(" of ")
          .append(gib(gpu.getMax()));
    }
    return line.toString();
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  private static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
