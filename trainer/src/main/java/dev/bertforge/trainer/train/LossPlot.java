package dev.bertforge.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a stage's loss curve from its metrics: the training loss per step, its moving average, and the
 * validation loss (with one dashed line per validation source of a mixture), against tokens trained.
 */
public final class LossPlot {
  /** Weight of the newest step in the drawn moving average. */
  private static final double SMOOTHING = 0.05;

  private LossPlot() {}

  /** Writes the PNG (through a temporary file, so a reader never sees half an image). */
  public static void write(String title, List<JsonNode> records, Path png) throws IOException {
    write(title, records, png, "tokens", 1e-6, "tokens (millions)", "MLM loss (nats)");
  }

  /**
   * The same plot over another x ({@code xKey} of each record times {@code xScale}) and loss: for fine-tuning, the
   * step and the classifier's loss.
   */
  public static void write(String title, List<JsonNode> records, Path png, String xKey, double xScale,
      String xLabel, String yLabel) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries train = new XYSeries("train loss");
    XYSeries smoothed = new XYSeries("train loss (moving average)");
    XYSeries validation = new XYSeries("validation loss");
    // a mixture's validation sources, each its own line beside the overall one
    java.util.Map<String, XYSeries> bySource = new java.util.LinkedHashMap<>();
    double average = Double.NaN;
    for (JsonNode record : records) {
      double x = record.path(xKey).asDouble() * xScale;
      double loss = record.path("loss").asDouble(Double.NaN);
      if (Double.isNaN(loss)) {
        continue;
      }
      if ("train".equals(record.path("type").asText())) {
        train.add(x, loss);
        average = Double.isNaN(average) ? loss : average + SMOOTHING * (loss - average);
        smoothed.add(x, average);
      } else if ("eval".equals(record.path("type").asText())) {
        validation.add(x, loss);
        record.path("sources").fields().forEachRemaining(source -> bySource.computeIfAbsent(source.getKey(),
            name -> new XYSeries("validation loss: " + name)).add(x, source.getValue().path("loss").asDouble()));
      }
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(train);
    dataset.addSeries(smoothed);
    dataset.addSeries(validation);
    bySource.values().forEach(dataset::addSeries);
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setAutoRange(true);
    ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesPaint(0, new Color(150, 180, 230));
    renderer.setSeriesShapesVisible(0, false);
    renderer.setSeriesPaint(1, new Color(20, 60, 160));
    renderer.setSeriesStroke(1, new BasicStroke(2f));
    renderer.setSeriesShapesVisible(1, false);
    renderer.setSeriesPaint(2, new Color(210, 60, 30));
    renderer.setSeriesStroke(2, new BasicStroke(2f));
    renderer.setSeriesShapesVisible(2, true);
    for (int i = 3; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesShapesVisible(i, true);
      renderer.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {6f, 4f}, 0f));
    }
    plot.setRenderer(renderer);
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 1000, 600);
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
