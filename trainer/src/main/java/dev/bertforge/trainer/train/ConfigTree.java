package dev.bertforge.trainer.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A YAML document read as nested maps, addressed by dotted keys ({@code optimizer.lr}), with
 * {@code --set key=value} overrides. It remembers which keys were read so that a misspelt key is an error
 * instead of a silently ignored setting.
 */
final class ConfigTree {
  private final String source;
  private final Map<String, Object> root;
  private final TreeSet<String> read = new TreeSet<>();

  private ConfigTree(String source, Map<String, Object> root) {
    this.source = source;
    this.root = root;
  }

  static ConfigTree load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("config file " + file + " does not exist");
    }
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(file.toString(), reader);
    }
  }

  static ConfigTree parse(String source, Reader reader) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (document == null) {
      document = new LinkedHashMap<String, Object>();
    }
    if (!(document instanceof Map)) {
      throw new IllegalArgumentException(source + ": the config must be a mapping of keys to values");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) document;
    return new ConfigTree(source, map);
  }

  /** Applies {@code key=value}; the value is parsed as YAML ({@code 3e-4}, {@code [0.9, 0.98]}, {@code null}). */
  void set(String assignment) {
    int equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException("--set expects key=value, got '" + assignment + "'");
    }
    String key = assignment.substring(0, equals).trim();
    Object value = new Yaml(new SafeConstructor(new LoaderOptions())).load(assignment.substring(equals + 1));
    Map<String, Object> node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> next = (Map<String, Object>) child;
      node = next;
    }
    node.put(parts[parts.length - 1], value);
  }

  /** The raw value at a dotted key, or {@code null}. */
  Object get(String key) {
    read.add(key);
    Object node = root;
    for (String part : key.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  String string(String key, String fallback) {
    Object value = get(key);
    return value == null ? fallback : value.toString();
  }

  String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw error(key, "is required");
    }
    return value;
  }

  double number(String key, double fallback) {
    Object value = get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(value.toString());
    } catch (NumberFormatException e) {
      throw error(key, "must be a number, got '" + value + "'");
    }
  }

  Double optionalNumber(String key) {
    return get(key) == null ? null : number(key, 0);
  }

  long integer(String key, long fallback) {
    double value = number(key, fallback);
    if (value != Math.rint(value)) {
      throw error(key, "must be a whole number, got " + value);
    }
    return (long) value;
  }

  /** A count of tokens: a number, or one with a K/M/B/T suffix ({@code 50M}, {@code 1.7T}). */
  long tokens(String key, long fallback) {
    Object value = get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return (long) n.doubleValue();
    }
    String text = value.toString().trim().toUpperCase(java.util.Locale.ROOT);
    long multiplier = 1;
    char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
    switch (last) {
      case 'K' -> multiplier = 1_000L;
      case 'M' -> multiplier = 1_000_000L;
      case 'B', 'G' -> multiplier = 1_000_000_000L;
      case 'T' -> multiplier = 1_000_000_000_000L;
      default -> { }
    }
    String digits = multiplier == 1 ? text : text.substring(0, text.length() - 1);
    try {
      return Math.round(Double.parseDouble(digits) * multiplier);
    } catch (NumberFormatException e) {
      throw error(key, "must be a token count like 50000000, 50M or 1.7T, got '" + value + "'");
    }
  }

  boolean flag(String key, boolean fallback) {
    Object value = get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw error(key, "must be true or false, got '" + value + "'");
  }

  List<Double> numbers(String key, List<Double> fallback) {
    Object value = get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof List<?> list)) {
      throw error(key, "must be a list of numbers, got '" + value + "'");
    }
    List<Double> numbers = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Number n)) {
        throw error(key, "must be a list of numbers, got '" + value + "'");
      }
      numbers.add(n.doubleValue());
    }
    return numbers;
  }

  IllegalArgumentException error(String key, String problem) {
    return new IllegalArgumentException(source + ": " + key + " " + problem);
  }

  /** Fails on keys that were never read: a typo would otherwise leave the default in force unnoticed. */
  void rejectUnknownKeys() {
    List<String> unknown = new ArrayList<>();
    collectUnknown("", root, unknown);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(source + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + " (the README's train section lists every key)");
    }
  }

  private void collectUnknown(String prefix, Map<?, ?> map, List<String> unknown) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      if (read.contains(key)) {
        continue;
      }
      if (entry.getValue() instanceof Map<?, ?> child && read.stream().anyMatch(k -> k.startsWith(key + "."))) {
        collectUnknown(key + ".", child, unknown);
      } else {
        unknown.add(key);
      }
    }
  }
}
