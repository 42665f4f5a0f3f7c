package dev.bertforge.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One picture of the learning benchmark: the training loss (moving average) and validation loss of the
 * stages one after another against tokens trained, with the unigram baseline as a line.
 *
 * <p>{@code java ... LearningCurve OUT.png UNIGRAM_LOSS STAGE_DIR...} (each stage folder holds metrics.jsonl).
 */
public final class LearningCurve {
  private static final Color[] COLORS = {new Color(20, 60, 160), new Color(20, 140, 60), new Color(150, 40, 160)};

  private LearningCurve() {}

  public static void main(String[] args) throws IOException {
    Path png = Path.of(args[0]);
    double unigram = Double.parseDouble(args[1]);
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    ObjectMapper json = new ObjectMapper();
    double offset = 0;
    for (int s = 2; s < args.length; s++) {
      Path stage = Path.of(args[s]);
      String name = stage.getFileName().toString();
      XYSeries train = new XYSeries(name + " train (moving average)");
      XYSeries validation = new XYSeries(name + " validation");
      double average = Double.NaN;
      double last = 0;
      for (String line : Files.readAllLines(stage.resolve("metrics.jsonl"))) {
        JsonNode record = json.readTree(line);
        double x = offset + record.get("tokens").asDouble() / 1e6;
        double loss = record.get("loss").asDouble();
        if (record.get("type").asText().equals("train")) {
          average = Double.isNaN(average) ? loss : average + 0.05 * (loss - average);
          train.add(x, average);
          last = Math.max(last, x);
        } else {
          validation.add(x, loss);
        }
      }
      Color color = COLORS[(s - 2) % COLORS.length];
      int index = dataset.getSeriesCount();
      dataset.addSeries(train);
      renderer.setSeriesPaint(index, color);
      renderer.setSeriesShapesVisible(index, false);
      dataset.addSeries(validation);
      renderer.setSeriesPaint(index + 1, color.brighter());
      renderer.setSeriesStroke(index + 1, new BasicStroke(2f));
      renderer.setSeriesShapesVisible(index + 1, true);
      offset = last;
    }
    XYSeries baseline = new XYSeries("unigram baseline (validation)");
    baseline.add(0, unigram);
    baseline.add(offset, unigram);
    int index = dataset.getSeriesCount();
    dataset.addSeries(baseline);
    renderer.setSeriesPaint(index, Color.GRAY);
    renderer.setSeriesShapesVisible(index, false);
    renderer.setSeriesStroke(index, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {8f, 6f}, 0f));
    System.setProperty("java.awt.headless", "true");
    JFreeChart chart = ChartFactory.createXYLineChart("tiny ModernBERT, three stages on English documentation",
        "tokens trained (millions, stages one after another)", "MLM loss (nats)", dataset, PlotOrientation.VERTICAL,
        true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ChartUtils.saveChartAsPNG(new File(png.toString()), chart, 1100, 650);
  }
}
