package dev.bertforge.transforms.shards;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** A document that gave no tokens to train on: its id, why, and a short detail. */
@DefaultCoder(SerializableCoder.class)
public final class RejectedDocument implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Why a document was not tokenized. */
  public enum Reason {
    /** The text is empty or only whitespace. */
    BLANK,
    /** The tokenizer gave nothing but the template's [CLS] and [SEP] (e.g. the normalizer removed every character). */
    NO_TOKENS,
    /** The tokenizer failed on this document. */
    ENCODE_FAILED;

    /** The name used in metrics, manifests and rejected files: {@code blank}, {@code no_tokens}, …. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String id;
  private final Reason reason;
  private final String detail;

  private RejectedDocument(String id, Reason reason, String detail) {
    this.id = Objects.requireNonNull(id, "id");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = detail == null ? "" : detail;
  }

  public static RejectedDocument of(String id, Reason reason, String detail) {
    return new RejectedDocument(id, reason, detail);
  }

  public String id() {
    return id;
  }

  public Reason reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RejectedDocument)) {
      return false;
    }
    RejectedDocument r = (RejectedDocument) o;
    return id.equals(r.id) && reason == r.reason && detail.equals(r.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, reason, detail);
  }

  @Override
  public String toString() {
    return "RejectedDocument{" + id + ", " + reason.label() + (detail.isEmpty() ? "" : ", " + detail) + "}";
  }
}
