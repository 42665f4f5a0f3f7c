package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {
  @Test
  void mapsEveryByteToADistinctCharacterLikeGpt2() {
    Set<Character> seen = new HashSet<>();
    for (int b = 0; b < 256; b++) {
      seen.add(ByteLevel.charOf(b));
      assertThat(ByteLevel.byteOf(ByteLevel.charOf(b)), equalTo(b));
    }
    assertThat(seen.size(), equalTo(256));
    assertThat(ByteLevel.charOf(' '), equalTo('Ġ'));
    assertThat(ByteLevel.charOf('\n'), equalTo('Ċ'));
    assertThat(ByteLevel.charOf(0xAD), equalTo('Ń'));
    assertThat(ByteLevel.charOf('a'), equalTo('a'));
  }

  @Test
  void ordersTheAlphabetByCodePointAsHuggingFaceDoes() {
    assertThat(ByteLevel.alphabetChar(0), equalTo('!'));
    assertThat(ByteLevel.alphabetChar(187), equalTo('ÿ'));
    assertThat(ByteLevel.alphabetChar(188), equalTo('Ā'));
    assertThat(ByteLevel.alphabetChar(255), equalTo('Ń'));
    for (int i = 1; i < 256; i++) {
      assertThat(ByteLevel.alphabetChar(i) > ByteLevel.alphabetChar(i - 1), equalTo(true));
      assertThat(ByteLevel.alphabetIndexOfByte(ByteLevel.byteOf(ByteLevel.alphabetChar(i))), equalTo(i));
    }
  }

  @Test
  void roundTripsUtf8() {
    String text = "héllo 😀 中\t\n\u0000";
    assertThat(ByteLevel.encode(text), equalTo("hÃ©lloĠðŁĺĢĠä¸ŃĉĊĀ"));
    assertThat(new String(ByteLevel.decode(ByteLevel.encode(text)), StandardCharsets.UTF_8), equalTo(text));
  }
}
