package io.switchboard.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts renders a comparison's PNG charts: throughput by system, and the latency CDF per system. */
public final class Charts {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 380;

  private Charts() {
  }

  public static void throughput(Path file, String title, String unit, List<Aggregate> systems) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("system").yAxisTitle(unit).build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,###");
    chart.getStyler().setAntiAlias(true);
    List<String> names = new ArrayList<>();
    List<Number> values = new ArrayList<>();
    for (Aggregate a : systems) {
      names.add(a.system());
      values.add(a.throughput());
    }
    chart.addSeries(unit, names, values);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Latency on a logarithmic x axis against the fraction of messages at or below it. */
  public static void latencyCdf(Path file, String title, List<Aggregate> systems) throws IOException {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("latency (ms, log scale)").yAxisTitle("percentile").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
    chart.getStyler().setAntiAlias(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    for (Aggregate a : systems) {
      double[][] points = cdf(a.latency());
      if (points[0].length == 0) {
        continue;
      }
      XYSeries s = chart.addSeries(a.system(), points[0], points[1]);
      s.setMarker(SeriesMarkers.NONE);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** x: latency in ms at each percentile, y: the percentile; denser in the tail where it matters. */
  static double[][] cdf(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new double[][] {new double[0], new double[0]};
    }
    List<Double> ps = new ArrayList<>();
    for (double p = 0.5; p < 90; p += 0.5) {
      ps.add(p);
    }
    for (double p = 90; p < 99; p += 0.1) {
      ps.add(p);
    }
    for (double p = 99; p < 99.99; p += 0.01) {
      ps.add(p);
    }
    ps.add(99.99);
    ps.add(100.0);
    double[] x = new double[ps.size()];
    double[] y = new double[ps.size()];
    for (int i = 0; i < ps.size(); i++) {
      x[i] = Math.max(0.001, micros.getValueAtPercentile(ps.get(i)) / 1000.0);
      y[i] = ps.get(i);
    }
    return new double[][] {x, y};
  }
}
