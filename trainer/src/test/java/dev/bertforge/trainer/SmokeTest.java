package dev.bertforge.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
  @Test
  void engineLoads() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3});
      assertEquals(6f, a.sum().getFloat(), 1e-6);
      System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion());
    }
  }
}
