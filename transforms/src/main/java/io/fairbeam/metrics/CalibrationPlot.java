package io.fairbeam.metrics;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.tfma.CalibrationHistogramBuckets;
import io.fairbeam.proto.tfma.PlotData;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code CalibrationPlot}: the calibration histogram regrouped into {@code num_buckets}
 * equal buckets over [0, 1] (default 1,000) plus the catch-all buckets below 0 and from 1 up, each
 * with its weighted example count, label sum and prediction sum.
 */
@Internal
public final class CalibrationPlot implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_NAME = "calibration_plot";
  public static final int DEFAULT_NUM_BUCKETS = 1000;

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;

  public CalibrationPlot(String name, int numBuckets, boolean weighted) {
    this.name = name;
    this.thresholds = new double[numBuckets + 2];
    thresholds[0] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= numBuckets; i++) {
      thresholds[i + 1] = i * 1.0 / numBuckets;
    }
    this.weighted = weighted;
  }

  /** Builds the plot from its JSON arguments ({@code num_buckets}, {@code name}). */
  public static CalibrationPlot fromArgs(MetricArgs args, boolean weighted) {
    int numBuckets =
        args.integer("num_buckets", 1, MetricArgs.MAX_COUNT).orElse(DEFAULT_NUM_BUCKETS);
    String name = args.string("name").orElse(DEFAULT_NAME);
    // TFMA writes left and right as null, meaning [0, 1]; another range (a regression model's
    // labels) needs a histogram over that range, which Fairbeam does not keep yet.
    double left = args.number("left").orElse(0.0);
    double right = args.number("right").orElse(1.0);
    if (left != 0.0 || right != 1.0) {
      throw new MetricConfigException(
          "left and right of " + name + " other than 0 and 1 are not supported yet");
    }
    return new CalibrationPlot(name, numBuckets, weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.requireHistogram();
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    CalibrationHistogram.Bucket[] buckets = slice.accumulator().histogram().rebin(thresholds);
    CalibrationHistogramBuckets.Builder proto = CalibrationHistogramBuckets.newBuilder();
    double lower = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < buckets.length; i++) {
      double upper = i >= thresholds.length - 1 ? Double.POSITIVE_INFINITY : thresholds[i + 1];
      proto
          .addBucketsBuilder()
          .setLowerThresholdInclusive(lower)
          .setUpperThresholdExclusive(upper)
          .setNumWeightedExamples(DoubleValue.of(buckets[i].weight()))
          .setTotalWeightedLabel(DoubleValue.of(buckets[i].weightedLabel()))
          .setTotalWeightedRefinedPrediction(DoubleValue.of(buckets[i].weightedPrediction()));
      lower = upper;
    }
    sink.plot(name, weighted, PlotData.newBuilder().setCalibrationHistogramBuckets(proto).build());
  }

  @Override
  public List<String> metricKeys() {
    return List.of();
  }

  @Override
  public List<String> plotKeys() {
    return List.of(name);
  }
}
