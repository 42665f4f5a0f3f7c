package dev.bertforge.finetune;

import dev.bertforge.options.InputFormat;
import dev.bertforge.transforms.io.BadInputException;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.RecordFields;
import dev.bertforge.transforms.io.RejectReason;
import dev.bertforge.transforms.io.RejectedRecord;
import dev.bertforge.transforms.io.WriteRejected;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads one split of labelled data with the data commands' reader ({@link ReadDocuments}: formats, globs,
 * compression, Beam filesystems, ids) and pulls the label and the optional second text out of each record. Writes
 * {@code DIR/examples.jsonl} ({@link LabelledExample} lines) and {@code DIR/rejected/rejected-*.jsonl} (the reader's
 * rejects and the records whose label or pair text is bad), so every record read is in exactly one of them.
 */
final class ReadLabelled {

  static final TupleTag<String> EXAMPLES = new TupleTag<>() {};
  static final TupleTag<RejectedRecord> REJECTED = new TupleTag<>() {};

  private ReadLabelled() {}

  /** Adds the reading of {@code input} into {@code dir} to {@code pipeline}. */
  static void into(Pipeline pipeline, String split, String input, String dir, FinetuneOptions options) {
    if (options.getFormat() == InputFormat.TEXT) {
      throw new IllegalArgumentException("--format=text has no label field: labelled data is JSONL or Parquet");
    }
    ReadDocuments.Result read = pipeline.apply("Read " + split, ReadDocuments.from(input)
        .withFormat(options.getFormat())
        .withTextField(options.getTextField())
        .withIdField(options.getIdField())
        .withFailOnBadRecords(options.getFailOnBadRecords())
        .withOrigins());
    PCollectionTuple labelled = read.documents().apply("Labels " + split,
        ParDo.of(new ExtractFn(RecordFields.of(read.format()), options.getLabelField(), options.getTextPairField(),
            options.getFailOnBadRecords())).withOutputTags(EXAMPLES, TupleTagList.of(REJECTED)));
    labelled.get(EXAMPLES).apply("Write " + split,
        TextIO.write().to(dir + "/examples").withSuffix(".jsonl").withoutSharding());
    PCollectionList.of(read.rejected()).and(labelled.get(REJECTED).setCoder(read.rejected().getCoder()))
        .apply("Rejects " + split, Flatten.pCollections())
        .apply("WriteRejects " + split, WriteRejected.to(dir));
  }

  /** The label and pair text of one document; a bad one is rejected (or stops the run). */
  static final class ExtractFn extends DoFn<Document, String> {
    private final RecordFields fields;
    private final String labelField;
    private final String pairField;
    private final boolean failOnBadRecords;

    ExtractFn(RecordFields fields, String labelField, String pairField, boolean failOnBadRecords) {
      this.fields = fields;
      this.labelField = labelField;
      this.pairField = pairField;
      this.failOnBadRecords = failOnBadRecords;
    }

    @ProcessElement
    public void process(@Element Document document, MultiOutputReceiver out) {
      RecordFields.Value label = fields.get(document.record(), labelField);
      String pair = null;
      if (pairField != null) {
        RecordFields.Value value = fields.get(document.record(), pairField);
        if (value.kind() != RecordFields.Kind.STRING) {
          reject(document, RejectReason.BAD_TEXT_PAIR, "'" + pairField + "' is " + value.describe()
              + ", not a string", out);
          return;
        }
        pair = value.text();
      }
      switch (label.kind()) {
        case STRING:
          if (label.text().isBlank()) {
            reject(document, RejectReason.MISSING_LABEL, "'" + labelField + "' is blank", out);
            return;
          }
          break;
        case INTEGER:
        case NUMBER:
          break;
        case MISSING:
        case NULL:
          reject(document, RejectReason.MISSING_LABEL, "'" + labelField + "' is " + label.describe(), out);
          return;
        default:
          reject(document, RejectReason.BAD_LABEL, "'" + labelField + "' is " + label.describe()
              + ", not a string or a number", out);
          return;
      }
      // where a later problem with this record (a label the training data never has) is reported
      String where = fields.reject(document, RejectReason.UNSEEN_LABEL, "").where() + ", record " + document.id();
      out.get(EXAMPLES).output(new LabelledExample(document.id(), document.text(), pair, label.text(),
          label.isNumber(), where).toJson());
    }

    private void reject(Document document, RejectReason reason, String detail, MultiOutputReceiver out) {
      RejectedRecord rejected = fields.reject(document, reason, detail);
      if (failOnBadRecords) {
        throw new BadInputException(rejected.describe() + " (--failOnBadRecords=false rejects and counts such "
            + "records)");
      }
      out.get(REJECTED).output(rejected);
    }
  }
}
