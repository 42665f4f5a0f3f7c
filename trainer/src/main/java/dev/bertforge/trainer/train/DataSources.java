package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code data.train} or {@code data.validation}: a shard glob (one source, named after the key's last part),
 * or a list of sources {@code {name, path, weight}} (a mixture; validation sources take no weight).
 */
final class DataSources {
  private static final Set<String> KEYS = Set.of("name", "path", "weight");

  private DataSources() {}

  static List<DataSource> parse(ConfigTree t, String key, boolean training) {
    Object value = t.get(key);
    String role = key.substring(key.lastIndexOf('.') + 1);
    if (value == null || value.toString().isBlank()) {
      if (training) {
        throw t.error(key, "is required");
      }
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      return List.of(new DataSource(role, value.toString(), 1.0));
    }
    if (list.isEmpty()) {
      throw t.error(key, "lists no sources");
    }
    List<DataSource> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = key + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> item)) {
        throw t.error(at, "must be a source {name: NAME, path: GLOB" + (training ? ", weight: W}" : "}")
            + ", got '" + list.get(i) + "'");
      }
      for (Object k : item.keySet()) {
        if (!KEYS.contains(k.toString()) || (!training && k.toString().equals("weight"))) {
          throw t.error(at, "has the unknown key '" + k + "' (a source has name, path"
              + (training ? " and weight)" : "; validation sources take no weight)"));
        }
      }
      String name = text(t, at, item, "name");
      if (!name.matches(DataSource.NAME)) {
        throw t.error(at, "name '" + name + "' must be letters, digits, '_', '.' or '-'");
      }
      if (!names.add(name)) {
        throw t.error(at, "repeats the source name '" + name + "'");
      }
      String path = text(t, at, item, "path");
      double weight = 1.0;
      if (training) {
        Object w = item.get("weight");
        if (!(w instanceof Number number) || !(number.doubleValue() > 0) || Double.isInfinite(number.doubleValue())) {
          throw t.error(at, "weight must be a positive number (a share of the stage's tokens), got '" + w + "'");
        }
        weight = number.doubleValue();
      }
      sources.add(new DataSource(name, path, weight));
    }
    return List.copyOf(sources);
  }

  private static String text(ConfigTree t, String at, Map<?, ?> item, String field) {
    Object value = item.get(field);
    if (value == null || value.toString().isBlank()) {
      throw t.error(at, field + " is required");
    }
    return value.toString();
  }
}
