package dev.bertforge.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Pulls the text and id out of one JSONL line with Jackson's streaming parser, skipping every other field, and
 * says why a line is bad. Reused line after line: after {@link #parse}, either {@code text} (and {@code id}) or
 * {@code reason} and {@code detail} are set. A repeated key counts by its last value, as in Python's json.
 */
final class JsonlRecord {
  @Nullable String text;
  @Nullable String id;
  @Nullable RejectReason reason;
  String detail = "";

  /** True if the line is a JSON object with a string text (and a string or integer id, when one is asked for). */
  boolean parse(
      JsonFactory json, byte[] bytes, int offset, int length, String textField, @Nullable String idField) {
    text = null;
    id = null;
    reason = null;
    detail = "";
    boolean textSeen = false;
    boolean textIsString = false;
    String textType = "";
    boolean idSeen = false;
    boolean idOk = false;
    String idType = "";
    try (JsonParser parser = json.createParser(bytes, offset, length)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return bad(RejectReason.BAD_JSON, "expected a JSON object, found " + describe(first));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(textField)) {
          textSeen = value != JsonToken.VALUE_NULL;
          textIsString = value == JsonToken.VALUE_STRING;
          textType = describe(value);
          text = textIsString ? parser.getText() : null;
        } else if (name.equals(idField)) {
          idSeen = value != JsonToken.VALUE_NULL;
          idOk = value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT;
          idType = describe(value);
          id = idOk ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        return bad(RejectReason.BAD_JSON, "the object is not closed");
      }
      JsonToken after = parser.nextToken();
      if (after != null) {
        return bad(RejectReason.BAD_JSON, "unexpected " + describe(after) + " after the JSON object");
      }
    } catch (JsonProcessingException e) {
      return bad(RejectReason.BAD_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      return bad(RejectReason.BAD_JSON, e.getMessage());
    }
    if (!textSeen) {
      return bad(RejectReason.MISSING_TEXT, "no '" + textField + "' field, or it is null");
    }
    if (!textIsString) {
      return bad(RejectReason.TEXT_NOT_STRING, "'" + textField + "' is " + textType);
    }
    if (Utf8.hasUnpairedSurrogate(text)) {
      return bad(RejectReason.INVALID_UTF8, "'" + textField + "' holds an unpaired surrogate escape");
    }
    if (idField != null) {
      if (!idSeen) {
        return bad(RejectReason.MISSING_ID, "no '" + idField + "' field, or it is null");
      }
      if (!idOk) {
        return bad(RejectReason.BAD_ID, "'" + idField + "' is " + idType + ", not a string or integer");
      }
    }
    return true;
  }

  private boolean bad(RejectReason why, String message) {
    text = null;
    id = null;
    reason = why;
    detail = message == null ? "" : message;
    return false;
  }

  private static String describe(@Nullable JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }
}
