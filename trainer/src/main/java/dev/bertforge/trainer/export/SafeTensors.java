package dev.bertforge.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each name to
 * {@code {dtype, shape, data_offsets}} (offsets relative to the end of the header), then the raw little-endian
 * tensor bytes. Written here directly rather than through DJL's encoder so that files may exceed 2 GiB, carry
 * {@code {"format": "pt"}} metadata, and bf16/fp16 checkpoints can be read (converted to fp32 in Java; DJL's
 * PyTorch engine cannot hold bf16).
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** One tensor of a file: its dtype name ({@code F32}, {@code BF16}, …), shape and bytes. */
  public static final class Tensor {
    private final String name;
    private final String dtype;
    private final long[] shape;
    private final ByteBuffer data;

    Tensor(String name, String dtype, long[] shape, ByteBuffer data) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.data = data.order(ByteOrder.LITTLE_ENDIAN);
    }

    public String name() {
      return name;
    }

    public String dtype() {
      return dtype;
    }

    public long[] shape() {
      return shape.clone();
    }

    public long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    /** The values as float32, converting from F32, F16, BF16 or F64. */
    public float[] toFloats() {
      int n = Math.toIntExact(size());
      float[] out = new float[n];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case "F32":
          b.asFloatBuffer().get(out);
          break;
        case "F64":
          for (int i = 0; i < n; i++) {
            out[i] = (float) b.getDouble(i * 8);
          }
          break;
        case "BF16":
          for (int i = 0; i < n; i++) {
            out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
          }
          break;
        case "F16":
          for (int i = 0; i < n; i++) {
            out[i] = halfToFloat(b.getShort(i * 2));
          }
          break;
        default:
          throw new IllegalArgumentException("tensor " + name + " has dtype " + dtype + ", not a float type");
      }
      return out;
    }

    /** IEEE 754 binary16 → float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
      int bits = half & 0xFFFF;
      int sign = (bits & 0x8000) << 16;
      int exponent = (bits >>> 10) & 0x1F;
      int mantissa = bits & 0x3FF;
      if (exponent == 0x1F) {
        return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
      }
      if (exponent == 0) {
        float value = mantissa * 0x1p-24f; // subnormal (or zero)
        return sign == 0 ? value : -value;
      }
      return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The values as int64, converting from I64 or I32. */
    public long[] toLongs() {
      int n = Math.toIntExact(size());
      long[] out = new long[n];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case "I64":
          b.asLongBuffer().get(out);
          break;
        case "I32":
          for (int i = 0; i < n; i++) {
            out[i] = b.getInt(i * 4);
          }
          break;
        default:
          throw new IllegalArgumentException("tensor " + name + " has dtype " + dtype + ", not an integer type");
      }
      return out;
    }
  }

  /** All tensors of a file, in header order (memory-mapped; nothing is copied until a tensor is converted). */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new IOException(file + ": not a safetensors file (" + fileSize + " bytes)");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > fileSize) {
        throw new IOException(file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      channel.read(headerBytes, 8);
      JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      long dataStart = 8 + headerLength;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode info = field.getValue();
        JsonNode shapeNode = info.get("shape");
        JsonNode offsets = info.get("data_offsets");
        if (info.get("dtype") == null || shapeNode == null || offsets == null || offsets.size() != 2) {
          throw new IOException(file + ": tensor " + field.getKey() + " has a malformed header entry");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || dataStart + end > fileSize) {
          throw new IOException(file + ": tensor " + field.getKey() + " points outside the file");
        }
        MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
        Tensor tensor = new Tensor(field.getKey(), info.get("dtype").asText(), shape, data);
        long expected = tensor.size() * bytesPer(tensor.dtype());
        if (expected != end - begin) {
          throw new IOException(file + ": tensor " + field.getKey() + " has " + (end - begin)
              + " bytes, its dtype and shape need " + expected);
        }
        tensors.put(field.getKey(), tensor);
      }
      return tensors;
    }
  }

  private static long bytesPer(String dtype) {
    switch (dtype) {
      case "F64":
      case "I64":
        return 8;
      case "F32":
      case "I32":
        return 4;
      case "F16":
      case "BF16":
      case "I16":
        return 2;
      case "I8":
      case "U8":
      case "BOOL":
        return 1;
      default:
        return 0;
    }
  }

  /** A float32 tensor to write. */
  public static final class F32 {
    final long[] shape;
    final ByteBuffer littleEndian;

    /** {@code data} holds the values in C order, little-endian (DJL's {@code toByteBuffer()} on x86/ARM). */
    public F32(long[] shape, ByteBuffer data) {
      this.shape = shape.clone();
      this.littleEndian = data;
    }
  }

  /** Writes float32 tensors in the given order with {@code {"format": "pt"}} metadata. */
  public static void write(Path file, Map<String, F32> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, F32> e : tensors.entrySet()) {
      long bytes = e.getValue().littleEndian.remaining();
      long count = 1;
      for (long d : e.getValue().shape) {
        count *= d;
      }
      if (bytes != count * 4) {
        throw new IllegalArgumentException(e.getKey() + ": " + bytes + " bytes for " + count + " floats");
      }
      ObjectNode info = header.putObject(e.getKey());
      info.put("dtype", "F32");
      info.putArray("shape").addAll(java.util.Arrays.stream(e.getValue().shape)
          .mapToObj(JSON.getNodeFactory()::numberNode).collect(java.util.stream.Collectors.toList()));
      info.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the Rust writer does
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(channel, head);
      for (F32 tensor : tensors.values()) {
        writeFully(channel, tensor.littleEndian.duplicate());
      }
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
