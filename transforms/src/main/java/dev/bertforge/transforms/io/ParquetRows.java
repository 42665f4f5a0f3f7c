package dev.bertforge.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Encodes a Parquet row (a {@link Group} of a known schema) to bytes and back, so a row can travel in {@link
 * Document#record()} and be written again with exactly the input's schema: nested groups, lists, maps and every
 * primitive type. Per field: the number of values (0 = null, more for repeated fields), then each value.
 */
final class ParquetRows {
  private ParquetRows() {}

  static byte[] encode(Group row) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(row, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Group decode(byte[] record, GroupType schema) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
      Group row = new SimpleGroup(schema);
      read(row, in);
      return row;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Group group, DataOutputStream out) throws IOException {
    GroupType type = group.getType();
    for (int field = 0; field < type.getFieldCount(); field++) {
      int count = group.getFieldRepetitionCount(field);
      writeCount(count, out);
      Type fieldType = type.getType(field);
      for (int i = 0; i < count; i++) {
        if (fieldType.isPrimitive()) {
          writeValue(group, field, i, fieldType.asPrimitiveType(), out);
        } else {
          write(group.getGroup(field, i), out);
        }
      }
    }
  }

  private static void read(Group group, DataInputStream in) throws IOException {
    GroupType type = group.getType();
    for (int field = 0; field < type.getFieldCount(); field++) {
      int count = readCount(in);
      Type fieldType = type.getType(field);
      for (int i = 0; i < count; i++) {
        if (fieldType.isPrimitive()) {
          readValue(group, field, fieldType.asPrimitiveType(), in);
        } else {
          read(group.addGroup(field), in);
        }
      }
    }
  }

  private static void writeValue(Group group, int field, int i, PrimitiveType type, DataOutputStream out)
      throws IOException {
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        out.writeBoolean(group.getBoolean(field, i));
        break;
      case INT32:
        out.writeInt(group.getInteger(field, i));
        break;
      case INT64:
        out.writeLong(group.getLong(field, i));
        break;
      case FLOAT:
        out.writeFloat(group.getFloat(field, i));
        break;
      case DOUBLE:
        out.writeDouble(group.getDouble(field, i));
        break;
      case INT96:
        writeBinary(group.getInt96(field, i), out);
        break;
      default: // BINARY, FIXED_LEN_BYTE_ARRAY
        writeBinary(group.getBinary(field, i), out);
    }
  }

  private static void readValue(Group group, int field, PrimitiveType type, DataInputStream in)
      throws IOException {
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        group.add(field, in.readBoolean());
        break;
      case INT32:
        group.add(field, in.readInt());
        break;
      case INT64:
        group.add(field, in.readLong());
        break;
      case FLOAT:
        group.add(field, in.readFloat());
        break;
      case DOUBLE:
        group.add(field, in.readDouble());
        break;
      default: // INT96, BINARY, FIXED_LEN_BYTE_ARRAY
        group.add(field, readBinary(in));
    }
  }

  private static void writeBinary(Binary value, DataOutputStream out) throws IOException {
    byte[] bytes = value.getBytesUnsafe();
    writeCount(bytes.length, out);
    out.write(bytes);
  }

  private static Binary readBinary(DataInputStream in) throws IOException {
    byte[] bytes = new byte[readCount(in)];
    in.readFully(bytes);
    return Binary.fromConstantByteArray(bytes);
  }

  private static void writeCount(int count, DataOutputStream out) throws IOException {
    while ((count & ~0x7f) != 0) {
      out.writeByte((count & 0x7f) | 0x80);
      count >>>= 7;
    }
    out.writeByte(count);
  }

  private static int readCount(DataInputStream in) throws IOException {
    int count = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.readUnsignedByte();
      count |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return count;
      }
    }
  }
}
