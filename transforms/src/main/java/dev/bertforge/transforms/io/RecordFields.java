package dev.bertforge.transforms.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.InputFormat;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a named top-level field of a {@link Document#record()} (a JSONL object's member, a Parquet row's column),
 * for the fields beyond the text and id that a command needs: a label, a second text. Values come back as a
 * {@link Value} that says what was there, so a caller can reject a record with the exact reason.
 */
public final class RecordFields implements Serializable {

  /** What a field held. */
  public enum Kind {
    MISSING,
    NULL,
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    OTHER
  }

  /** A field's value: its kind, its text (a number as written; for {@code OTHER}, the type found). */
  public static final class Value {
    private final Kind kind;
    private final String text;

    private Value(Kind kind, String text) {
      this.kind = kind;
      this.text = text;
    }

    public Kind kind() {
      return kind;
    }

    public String text() {
      return text;
    }

    public boolean isNumber() {
      return kind == Kind.INTEGER || kind == Kind.NUMBER;
    }

    /** How the value reads in an error message: {@code "a string"}, {@code "null"}, {@code "an array"}. */
    public String describe() {
      switch (kind) {
        case MISSING:
          return "missing";
        case NULL:
          return "null";
        case STRING:
          return "a string";
        case INTEGER:
        case NUMBER:
          return "a number";
        case BOOLEAN:
          return "a boolean";
        default:
          return text;
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InputFormat format;
  private final @Nullable String parquetSchema;
  private transient GroupType schema;

  private RecordFields(InputFormat format, @Nullable String parquetSchema) {
    this.format = format;
    this.parquetSchema = parquetSchema;
  }

  /** Fields of records read in {@code format}; plain text has no fields, so it is refused here. */
  public static RecordFields of(DocumentFormat format) {
    if (format.format() != InputFormat.JSONL && format.format() != InputFormat.PARQUET) {
      throw new IllegalArgumentException("fields other than the text need JSONL or Parquet input, the input is "
          + format.format().name().toLowerCase(java.util.Locale.ROOT));
    }
    return new RecordFields(format.format(), format.parquetSchema());
  }

  /** The value of {@code field} in {@code record} (the bytes {@link ReadDocuments} kept). */
  public Value get(byte[] record, String field) {
    if (record == null) {
      throw new IllegalArgumentException("the document carries no record: read it with its records kept");
    }
    return format == InputFormat.JSONL ? jsonField(record, field) : parquetField(record, field);
  }

  /**
   * A rejection of {@code document}'s record, placed in its file (read {@link ReadDocuments#withOrigins()}): the
   * row of a Parquet file, the byte offset of a JSONL line; the detail starts with the record's id.
   */
  public RejectedRecord reject(Document document, RejectReason reason, String detail) {
    String file = document.file() == null ? "(unknown file)" : document.file();
    String what = "record " + document.id() + ": " + detail;
    return format == InputFormat.PARQUET ? RejectedRecord.row(file, document.position(), reason, what)
        : RejectedRecord.atByte(file, document.position(), reason, what);
  }

  private static Value jsonField(byte[] record, String field) {
    JsonNode object;
    try {
      object = JSON.readTree(record);
    } catch (IOException e) {
      // ReadDocuments parsed this line already; it cannot fail here unless the record was changed
      throw new IllegalStateException("record is no longer valid JSON: " + new String(record, StandardCharsets.UTF_8),
          e);
    }
    JsonNode v = object.get(field);
    if (v == null) {
      return new Value(Kind.MISSING, "");
    }
    if (v.isNull()) {
      return new Value(Kind.NULL, "");
    }
    if (v.isTextual()) {
      return new Value(Kind.STRING, v.asText());
    }
    if (v.isIntegralNumber()) {
      return new Value(Kind.INTEGER, v.asText());
    }
    if (v.isNumber()) {
      return new Value(Kind.NUMBER, v.asText());
    }
    if (v.isBoolean()) {
      return new Value(Kind.BOOLEAN, v.asText());
    }
    return new Value(Kind.OTHER, v.isArray() ? "an array" : "an object");
  }

  private Value parquetField(byte[] record, String field) {
    if (schema == null) {
      schema = MessageTypeParser.parseMessageType(parquetSchema);
    }
    if (!schema.containsField(field)) {
      return new Value(Kind.MISSING, "");
    }
    Group row = ParquetRows.decode(record, schema);
    int index = schema.getFieldIndex(field);
    Type type = schema.getType(index);
    int count = row.getFieldRepetitionCount(index);
    if (count == 0) {
      return new Value(Kind.NULL, "");
    }
    if (!type.isPrimitive() || count > 1) {
      return new Value(Kind.OTHER, type.isPrimitive() ? "a repeated field" : "a group");
    }
    PrimitiveType primitive = type.asPrimitiveType();
    switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN:
        return new Value(Kind.BOOLEAN, Boolean.toString(row.getBoolean(index, 0)));
      case INT32:
        return new Value(Kind.INTEGER, Integer.toString(row.getInteger(index, 0)));
      case INT64:
        return new Value(Kind.INTEGER, Long.toString(row.getLong(index, 0)));
      case FLOAT:
        return new Value(Kind.NUMBER, Float.toString(row.getFloat(index, 0)));
      case DOUBLE:
        return new Value(Kind.NUMBER, Double.toString(row.getDouble(index, 0)));
      case BINARY: // as the text column: any binary is read as UTF-8
        return new Value(Kind.STRING, row.getString(index, 0));
      default:
        return new Value(Kind.OTHER, primitive.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
