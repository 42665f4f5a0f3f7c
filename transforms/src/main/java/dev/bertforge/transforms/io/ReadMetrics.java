package dev.bertforge.transforms.io;

import org.apache.beam.sdk.metrics.MetricName;

/**
 * The Beam metrics {@link ReadDocuments} keeps, under one namespace, for progress reports and run summaries. Each
 * reject reason also has a counter {@code rejected_<reason>} (e.g. {@code rejected_bad_json}).
 */
public final class ReadMetrics {
  private ReadMetrics() {}

  public static final String NAMESPACE = "bertforge.read";

  /** Files the input matched, and their total size in bytes (as stored, i.e. compressed). */
  public static final MetricName FILES_MATCHED = MetricName.named(NAMESPACE, "files_matched");

  public static final MetricName BYTES_MATCHED = MetricName.named(NAMESPACE, "bytes_matched");

  /** Stored (compressed) bytes read so far: with {@link #BYTES_MATCHED}, how far reading has come. */
  public static final MetricName BYTES_READ = MetricName.named(NAMESPACE, "bytes_read");

  public static final MetricName DOCUMENTS = MetricName.named(NAMESPACE, "documents");

  /** UTF-8 bytes of the documents' text. */
  public static final MetricName TEXT_BYTES = MetricName.named(NAMESPACE, "text_bytes");

  /** Blank lines, blank text files and records whose text is empty or whitespace: counted, not documents. */
  public static final MetricName BLANK = MetricName.named(NAMESPACE, "blank");

  /** All rejected records and files. */
  public static final MetricName REJECTED = MetricName.named(NAMESPACE, "rejected");

  public static MetricName rejected(RejectReason reason) {
    return MetricName.named(NAMESPACE, "rejected_" + reason.label());
  }
}
