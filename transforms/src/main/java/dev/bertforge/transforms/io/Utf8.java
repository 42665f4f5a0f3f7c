package dev.bertforge.transforms.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Strict UTF-8 checks (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) and lengths. */
final class Utf8 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Utf8() {}

  /** The index (from {@code offset}) of the first byte of the first invalid sequence, or -1 if all is valid. */
  static int firstInvalid(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // ASCII fast path: eight bytes at a time while none has its high bit set
      while (i + 8 <= end && ((long) LONGS.get(bytes, i) & 0x8080808080808080L) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int min2;
      int max2 = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        min2 = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        min2 = b == 0xe0 ? 0xa0 : 0x80; // no overlong 3-byte forms
        if (b == 0xed) {
          max2 = 0x9f; // no UTF-16 surrogates
        }
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        min2 = b == 0xf0 ? 0x90 : 0x80; // no overlong 4-byte forms
        if (b == 0xf4) {
          max2 = 0x8f; // nothing above U+10FFFF
        }
      } else {
        return i - offset;
      }
      if (i + need >= end) {
        return i - offset; // truncated sequence
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min2 || second > max2) {
        return i - offset;
      }
      for (int k = 2; k <= need; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return i - offset;
        }
      }
      i += need + 1;
    }
    return -1;
  }

  /** True if {@code s} holds a high surrogate without a low one after it, or a low one alone. */
  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The number of bytes {@code s} takes in UTF-8 (an unpaired surrogate counts 3 bytes). */
  static long encodedLength(String s) {
    long bytes = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Whether the first {@code length} bytes start with the UTF-8 byte-order mark EF BB BF. */
  static boolean hasBom(byte[] bytes, int length) {
    return length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
  }
}
