package dev.bertforge.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.pipelines.PipelineCommand;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.train.Threads;
import dev.bertforge.transforms.io.BadInputException;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.MetricTotals;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.RecordFields;
import dev.bertforge.transforms.io.RejectReason;
import dev.bertforge.transforms.io.RejectedRecord;
import dev.bertforge.transforms.io.WriteRejected;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * {@code ./bertforge classify}: batch inference as a Beam pipeline. Documents are read as every data command reads
 * them; each worker loads the classifier once ({@code @Setup}) and predicts a batch at a time; the predictions go
 * to {@code OUT/predictions-*.jsonl}, records that cannot be read (or lack the pair text) to {@code OUT/rejected/}.
 * {@code --latency=N} instead times N single-document requests.
 */
public final class ClassifyCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final MetricName CLASSIFIED = MetricName.named("bertforge.classify", "documents");
  private static final TupleTag<String> PREDICTIONS = new TupleTag<>() {};
  private static final TupleTag<RejectedRecord> REJECTED = new TupleTag<>() {};

  private ClassifyCommand() {}

  public static void main(String[] args) {
    // DJL warns on every CPU-only start that it found no CUDA driver; that is expected, not a problem
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    ClassifyOptions options = PipelineCommand.parse("classify", args, ClassifyOptions.class);
    oneModelWorkerOnTheDirectRunner(options, args);
    PipelineCommand.exitOnFailure("classify", () -> {
      if (options.getLatency() > 0) {
        System.out.println(latency(options));
      } else {
        System.out.println(classify(options));
      }
    });
  }

  /**
   * On the Direct runner the model runs in one worker thread with every intra-op thread, unless
   * {@code --targetParallelism} says otherwise: its default of three workers, each calling into libtorch beside the
   * runner's busy driver thread, classified the sample corpus at 30 documents/s on 2 cores, against 143 with one.
   */
  static void oneModelWorkerOnTheDirectRunner(ClassifyOptions options, String[] args) {
    if (DirectRunner.class.equals(options.getRunner())
        && java.util.Arrays.stream(args).noneMatch(a -> a.startsWith("--targetParallelism"))) {
      options.as(DirectOptions.class).setTargetParallelism(1);
    }
  }

  /** Classifies the input; returns the one-line summary printed. */
  static String classify(ClassifyOptions options) throws IOException {
    try (Classifier check = Classifier.open(Path.of(options.getModel()), options.getMaxSeqLen())) {
      check.config(); // fails here, before any worker starts, if the model cannot be loaded
    }
    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("Read", ReadDocuments.from(options).withOrigins());
    RecordFields fields = options.getTextPairField() == null ? null : RecordFields.of(read.format());
    PCollectionTuple predicted = read.documents().apply("Classify", ParDo.of(new ClassifyFn(options, fields))
        .withOutputTags(PREDICTIONS, TupleTagList.of(REJECTED)));
    predicted.get(PREDICTIONS).apply("Write", TextIO.write().to(options.getOutput() + "/predictions")
        .withSuffix(".jsonl"));
    PCollectionList.of(read.rejected()).and(predicted.get(REJECTED).setCoder(read.rejected().getCoder()))
        .apply("Rejects", Flatten.pCollections()).apply("WriteRejects", WriteRejected.to(options.getOutput()));
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    long documents = MetricTotals.counter(result, CLASSIFIED);
    long rejected = MetricTotals.counter(result, dev.bertforge.transforms.io.ReadMetrics.REJECTED)
        + MetricTotals.counter(result, ClassifyFn.PAIR_REJECTED);
    return String.format("classified %,d documents in %.1f s (%,.1f documents/s, loading included); %,d rejected; "
        + "predictions in %s/predictions-*.jsonl", documents, seconds, documents / seconds, rejected,
        options.getOutput());
  }

  /** p50/p90/p99 of single-document requests (tokenize + forward + softmax) over the input's first documents. */
  static String latency(ClassifyOptions options) throws IOException {
    Path texts = Files.createTempDirectory("bertforge-latency");
    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("Read", ReadDocuments.from(options));
    String pairField = options.getTextPairField();
    RecordFields fields = pairField == null ? null : RecordFields.of(read.format());
    // only serializable values in the DoFn: Beam refuses to ship PipelineOptions inside one
    read.documents().apply("Texts", ParDo.of(new DoFn<Document, String>() {
      @ProcessElement
      public void process(@Element Document d, OutputReceiver<String> out) {
        ObjectNode o = JSON.createObjectNode().put("text", d.text());
        if (fields != null) {
          RecordFields.Value pair = fields.get(d.record(), pairField);
          if (pair.kind() == RecordFields.Kind.STRING) {
            o.put("pair", pair.text());
          }
        }
        out.output(o.toString());
      }
    })).apply("WriteTexts", TextIO.write().to(texts + "/texts").withSuffix(".jsonl").withoutSharding());
    pipeline.run().waitUntilFinish();
    List<String> lines = Files.readAllLines(texts.resolve("texts.jsonl"), StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new BadInputException(options.getInput() + ": no documents to time requests on");
    }
    int n = options.getLatency();
    if (options.getThreads() > 0) {
      Threads.use(options.getThreads());
    }
    try (Classifier classifier = Classifier.open(Path.of(options.getModel()), options.getMaxSeqLen())) {
      double[] millis = new double[n];
      int warmup = Math.min(10, n);
      for (int i = -warmup; i < n; i++) {
        JsonNode doc = JSON.readTree(lines.get(Math.floorMod(i, lines.size())));
        long t = System.nanoTime();
        classifier.predict(List.of(classifier.encode(doc.get("text").asText(),
            doc.hasNonNull("pair") ? doc.get("pair").asText() : null)));
        if (i >= 0) {
          millis[i] = (System.nanoTime() - t) / 1e6;
        }
      }
      Arrays.sort(millis);
      return String.format("latency over %d single-document requests (tokenize + forward, %d warm-up): p50 %.2f ms, "
          + "p90 %.2f ms, p99 %.2f ms, mean %.2f ms", n, warmup, percentile(millis, 50), percentile(millis, 90),
          percentile(millis, 99), Arrays.stream(millis).average().orElse(0));
    } finally {
      try (Stream<Path> files = Files.list(texts)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(texts);
    }
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Loads the classifier once per worker and predicts batches of documents. */
  static final class ClassifyFn extends DoFn<Document, String> {
    static final MetricName PAIR_REJECTED = MetricName.named("bertforge.classify", "rejected_pairs");
    /** Texts buffered per bundle, in batches: sorted by length across them before they are cut. */
    private static final int BATCHES_BUFFERED = 8;
    private final String model;
    private final int maxSeqLen;
    private final int batchSize;
    private final boolean allScores;
    private final int threads;
    private final String pairField;
    private final RecordFields fields;
    private final Counter classified = org.apache.beam.sdk.metrics.Metrics.counter(CLASSIFIED.getNamespace(),
        CLASSIFIED.getName());
    private final Counter pairRejected = org.apache.beam.sdk.metrics.Metrics.counter(PAIR_REJECTED.getNamespace(),
        PAIR_REJECTED.getName());
    private transient Classifier classifier;
    private transient List<String> ids;
    private transient List<long[]> encoded;

    ClassifyFn(ClassifyOptions options, RecordFields fields) {
      this.model = options.getModel();
      this.maxSeqLen = options.getMaxSeqLen();
      this.batchSize = options.getBatchSize();
      this.allScores = options.getAllScores();
      this.threads = options.getThreads();
      this.pairField = options.getTextPairField();
      this.fields = fields;
    }

    @Setup
    public void setup() throws IOException {
      if (threads > 0) {
        Threads.use(threads);
      }
      classifier = Classifier.open(Path.of(model), maxSeqLen);
    }

    @StartBundle
    public void startBundle() {
      ids = new ArrayList<>();
      encoded = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element Document document, MultiOutputReceiver out) {
      String pair = null;
      if (pairField != null) {
        RecordFields.Value value = fields.get(document.record(), pairField);
        if (value.kind() != RecordFields.Kind.STRING) {
          pairRejected.inc();
          out.get(REJECTED).output(fields.reject(document, RejectReason.BAD_TEXT_PAIR,
              "'" + pairField + "' is " + value.describe() + ", not a string"));
          return;
        }
        pair = value.text();
      }
      ids.add(document.id());
      encoded.add(classifier.encode(document.text(), pair));
      if (ids.size() == batchSize * BATCHES_BUFFERED) {
        flush().forEach(line -> out.get(PREDICTIONS).output(line));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (String line : flush()) {
        context.output(PREDICTIONS, line, Instant.now(), GlobalWindow.INSTANCE);
      }
    }

    private List<String> flush() {
      List<String> lines = new ArrayList<>();
      if (ids.isEmpty()) {
        return lines;
      }
      // batches of similar lengths pad little: the buffered texts sorted by length, then cut into batches
      Integer[] order = new Integer[ids.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> encoded.get(i).length));
      Classifier.Prediction[] predictions = new Classifier.Prediction[order.length];
      for (int start = 0; start < order.length; start += batchSize) {
        List<long[]> batch = new ArrayList<>();
        for (int j = start; j < Math.min(order.length, start + batchSize); j++) {
          batch.add(encoded.get(order[j]));
        }
        List<Classifier.Prediction> predicted = classifier.predict(batch);
        for (int j = 0; j < predicted.size(); j++) {
          predictions[order[start + j]] = predicted.get(j);
        }
      }
      ClassifierConfig config = classifier.config();
      for (int i = 0; i < ids.size(); i++) {
        Classifier.Prediction p = predictions[i];
        ObjectNode o = JSON.createObjectNode().put("id", ids.get(i));
        if (config.task() == ClassifierConfig.Task.REGRESSION) {
          o.put("value", p.value());
        } else {
          o.put("label", config.labels().get(p.labelId())).put("score", p.score());
          if (allScores) {
            ObjectNode scores = o.putObject("scores");
            for (int k = 0; k < config.numLabels(); k++) {
              scores.put(config.labels().get(k), p.scores()[k]);
            }
          }
        }
        lines.add(o.toString());
      }
      classified.inc(ids.size());
      ids.clear();
      encoded.clear();
      return lines;
    }

    @Teardown
    public void teardown() {
      if (classifier != null) {
        classifier.close();
      }
    }
  }
}
