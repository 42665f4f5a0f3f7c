package dev.bertforge.transforms.shards;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A document's id and its token ids as the tokenizer's template made them: {@code [CLS] … [SEP]}, never truncated.
 */
@DefaultCoder(TokenizedDocument.TokenizedDocumentCoder.class)
public final class TokenizedDocument implements Serializable {
  private final String id;
  private final int[] ids;

  private TokenizedDocument(String id, int[] ids) {
    this.id = Objects.requireNonNull(id, "id");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public static TokenizedDocument of(String id, int[] ids) {
    return new TokenizedDocument(id, ids);
  }

  public String id() {
    return id;
  }

  /** The token ids, [CLS] and [SEP] included. Do not modify the array. */
  public int[] ids() {
    return ids;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenizedDocument
        && id.equals(((TokenizedDocument) o).id)
        && Arrays.equals(ids, ((TokenizedDocument) o).ids);
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "TokenizedDocument{" + id + ", " + ids.length + " tokens}";
  }

  /** id, then the ids as varints (token ids are small, so most take one or two bytes). */
  public static final class TokenizedDocumentCoder extends AtomicCoder<TokenizedDocument> {
    private static final Coder<String> STRING = StringUtf8Coder.of();

    public static TokenizedDocumentCoder of() {
      return new TokenizedDocumentCoder();
    }

    @Override
    public void encode(TokenizedDocument d, OutputStream out) throws IOException {
      STRING.encode(d.id, out);
      byte[] buffer = new byte[5 * d.ids.length];
      int n = 0;
      for (int v : d.ids) {
        while ((v & ~0x7F) != 0) {
          buffer[n++] = (byte) ((v & 0x7F) | 0x80);
          v >>>= 7;
        }
        buffer[n++] = (byte) v;
      }
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(d.ids.length);
      data.writeInt(n);
      data.write(buffer, 0, n);
      data.flush();
    }

    @Override
    public TokenizedDocument decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      DataInputStream data = new DataInputStream(in);
      int[] ids = new int[data.readInt()];
      byte[] buffer = new byte[data.readInt()];
      data.readFully(buffer);
      int at = 0;
      for (int i = 0; i < ids.length; i++) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = buffer[at++];
          v |= (b & 0x7F) << shift;
          if (b >= 0) {
            break;
          }
        }
        ids[i] = v;
      }
      return new TokenizedDocument(id, ids);
    }
  }
}
