package dev.bertforge.transforms.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connected components on one machine, with the smallest id of each component as its root. The reference that
 * {@link ConnectedComponents} is tested against, and the finisher of what its unrolled rounds left unconverged.
 */
public final class UnionFind {
  private final Map<String, String> parent = new HashMap<>();

  public void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (ra.equals(rb)) {
      return;
    }
    if (ra.compareTo(rb) < 0) {
      parent.put(rb, ra);
    } else {
      parent.put(ra, rb);
    }
  }

  /** The smallest id of the component of {@code x} ({@code x} itself when it was never united). */
  public String find(String x) {
    String root = x;
    for (String p = parent.get(root); p != null; p = parent.get(root)) {
      root = p;
    }
    // Path compression: point every node on the way straight at the root.
    List<String> path = new ArrayList<>();
    for (String node = x; !node.equals(root); node = parent.get(node)) {
      path.add(node);
    }
    for (String node : path) {
      parent.put(node, root);
    }
    return root;
  }

  /** Every node that was ever united, mapped to its component's smallest id. */
  public Map<String, String> components() {
    Map<String, String> out = new HashMap<>();
    for (String node : new ArrayList<>(parent.keySet())) {
      String root = find(node);
      out.put(node, root);
      out.put(root, root);
    }
    return out;
  }
}
