package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
  /** The JDK's strict decoder is the reference: valid exactly when it decodes without error. */
  private static boolean jdkAccepts(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      decoder.decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(42);
    byte[] alphabet = {
      'a', 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0, (byte) 0xa0,
      (byte) 0xed, (byte) 0x9f, (byte) 0xef, (byte) 0xf0, (byte) 0x90, (byte) 0xf4, (byte) 0x8f, (byte) 0xf5,
      (byte) 0xff
    };
    for (int trial = 0; trial < 200_000; trial++) {
      boolean longAndMostlyAscii = trial % 2 == 0; // exercises the 8-bytes-at-a-time path
      byte[] bytes = new byte[1 + random.nextInt(longAndMostlyAscii ? 40 : 6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = longAndMostlyAscii && random.nextInt(10) > 0 ? (byte) 'a' : alphabet[random.nextInt(alphabet.length)];
      }
      boolean ours = Utf8.firstInvalid(bytes, 0, bytes.length) < 0;
      assertThat(java.util.Arrays.toString(bytes), ours, equalTo(jdkAccepts(bytes)));
    }
  }

  @Test
  void reportsTheFirstBadByteAndCountsEncodedLength() {
    byte[] bytes = "ok é".getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 2);
    bad[bytes.length] = (byte) 0xc3; // a lead byte followed by ASCII
    bad[bytes.length + 1] = 'x';
    assertThat(Utf8.firstInvalid(bad, 0, bad.length), equalTo(bytes.length));
    assertThat(Utf8.firstInvalid(bad, 1, bad.length - 1), equalTo(bytes.length - 1));
    String text = "aé中😀";
    assertThat(Utf8.encodedLength(text), equalTo((long) text.getBytes(StandardCharsets.UTF_8).length));
    assertThat(Utf8.hasUnpairedSurrogate("a\ud83d"), equalTo(true));
    assertThat(Utf8.hasUnpairedSurrogate("\ude00b"), equalTo(true));
    assertThat(Utf8.hasUnpairedSurrogate(text), equalTo(false));
  }
}
