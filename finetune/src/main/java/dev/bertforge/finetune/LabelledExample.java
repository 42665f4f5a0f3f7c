package dev.bertforge.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One labelled record as read: its id, text, optional second text, the label as written (a string, or a number's
 * text) and where it came from (for errors about it later, such as a label the training data never has).
 * Travels between the reading pipeline and training as one JSON line.
 */
public final class LabelledExample {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final String text;
  private final String textPair;
  private final String label;
  private final boolean numericLabel;
  private final String where;

  public LabelledExample(String id, String text, String textPair, String label, boolean numericLabel, String where) {
    this.id = id;
    this.text = text;
    this.textPair = textPair;
    this.label = label;
    this.numericLabel = numericLabel;
    this.where = where;
  }

  public String id() {
    return id;
  }

  public String text() {
    return text;
  }

  /** The second text of a pair, or {@code null}. */
  public String textPair() {
    return textPair;
  }

  public String label() {
    return label;
  }

  /** Whether the label was a JSON number / numeric column (not a string). */
  public boolean numericLabel() {
    return numericLabel;
  }

  /** The record's place, e.g. {@code data/train.jsonl at byte 120, record train.jsonl:3}. */
  public String where() {
    return where;
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id).put("text", text);
    if (textPair != null) {
      o.put("text_pair", textPair);
    }
    o.put("label", label).put("numeric_label", numericLabel).put("where", where);
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LabelledExample fromJson(String line) {
    try {
      JsonNode o = JSON.readTree(line);
      return new LabelledExample(o.get("id").asText(), o.get("text").asText(),
          o.hasNonNull("text_pair") ? o.get("text_pair").asText() : null, o.get("label").asText(),
          o.get("numeric_label").asBoolean(), o.get("where").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("not a labelled example: " + line, e);
    }
  }
}
