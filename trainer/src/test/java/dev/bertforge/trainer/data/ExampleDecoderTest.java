package dev.bertforge.trainer.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class ExampleDecoderTest {

  @Test
  void readsUnpackedInt64ListsAndDefaultsToOneDocument() {
    // Int64List with non-packed values (wire type 0), as older protobuf writers may emit them
    byte[] list = concat(new byte[] {0x08, 0x05, 0x08, (byte) 0xE7, 0x07, 0x08, 0x02});
    byte[] example = example("input_ids", list);
    TokenRow row = ExampleDecoder.decode(example);
    assertArrayEquals(new int[] {5, 999, 2}, row.inputIds());
    assertArrayEquals(new int[] {3}, row.docLengths());
  }

  @Test
  void rejectsMissingOrWronglyTypedInputIds() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> ExampleDecoder.decode(example("other", new byte[] {0x08, 0x01})));
    assertThat(missing.getMessage(), containsString("no int64 feature 'input_ids'"));

    byte[] floatFeature = wrap(2, new byte[] {0x0D, 0, 0, 0, 0}); // float_list
    IllegalArgumentException typed = assertThrows(IllegalArgumentException.class,
        () -> ExampleDecoder.decode(exampleWithFeature("input_ids", floatFeature)));
    assertThat(typed.getMessage(), containsString("not an int64 list"));
  }

  @Test
  void rejectsTruncatedBytesAndLengthsThatDoNotAddUp() {
    byte[] good = example("input_ids", new byte[] {0x08, 0x05});
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
    assertThrows(IllegalArgumentException.class, () -> ExampleDecoder.decode(cut));

    byte[] both = concat(
        entry("input_ids", wrap(3, new byte[] {0x0A, 0x02, 0x05, 0x06})),
        entry("doc_lengths", wrap(3, new byte[] {0x0A, 0x01, 0x03})));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExampleDecoder.decode(wrap(1, both)));
    assertThat(e.getMessage(), containsString("doc_lengths sum to 3 but input_ids has 2 tokens"));
  }

  private static byte[] example(String key, byte[] int64List) {
    return exampleWithFeature(key, wrap(3, int64List));
  }

  private static byte[] exampleWithFeature(String key, byte[] feature) {
    return wrap(1, entry(key, feature));
  }

  private static byte[] entry(String key, byte[] feature) {
    return wrap(1, concat(wrap(1, key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), wrap(2, feature)));
  }

  /** Field {@code field} as a length-delimited protobuf field (lengths here stay below 128). */
  private static byte[] wrap(int field, byte[] payload) {
    return concat(new byte[] {(byte) (field << 3 | 2), (byte) payload.length}, payload);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
