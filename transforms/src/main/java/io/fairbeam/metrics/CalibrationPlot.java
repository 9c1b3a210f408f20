package io.fairbeam.metrics;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.tfma.CalibrationHistogramBuckets;
import io.fairbeam.proto.tfma.PlotData;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code CalibrationPlot}: the calibration histogram regrouped into {@code num_buckets}
 * equal buckets over [{@code left}, {@code right}] (default 1,000 over [0, 1]) plus the catch-all
 * buckets below {@code left} and from {@code right} up, each with its weighted example count, label
 * sum and prediction sum. Over another range than [0, 1] (a regression model's labels) it reads a
 * 10,000-bucket histogram of its own over that range, as TFMA does.
 */
@Internal
public final class CalibrationPlot implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_NAME = "calibration_plot";
  public static final int DEFAULT_NUM_BUCKETS = 1000;

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;
  private final double left;
  private final double right;

  public CalibrationPlot(String name, int numBuckets, boolean weighted) {
    this(name, numBuckets, 0.0, 1.0, weighted);
  }

  /** The plot over [{@code left}, {@code right}]. */
  public CalibrationPlot(String name, int numBuckets, double left, double right, boolean weighted) {
    this.name = name;
    this.left = left;
    this.right = right;
    this.thresholds = new double[numBuckets + 2];
    thresholds[0] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= numBuckets; i++) {
      // TFMA's left + i * (right - left) / num_buckets.
      thresholds[i + 1] = left + i * (right - left) / numBuckets;
    }
    this.weighted = weighted;
  }

  /** Builds the plot from its JSON arguments ({@code num_buckets}, {@code name}). */
  public static CalibrationPlot fromArgs(MetricArgs args, boolean weighted) {
    int numBuckets =
        args.integer("num_buckets", 1, MetricArgs.MAX_COUNT).orElse(DEFAULT_NUM_BUCKETS);
    String name = args.string("name").orElse(DEFAULT_NAME);
    // TFMA writes left and right as null, meaning [0, 1] (it would read a range from a schema,
    // which Fairbeam has none of).
    double left = args.number("left").orElse(0.0);
    double right = args.number("right").orElse(1.0);
    if (!(Double.isFinite(left) && Double.isFinite(right) && left < right)) {
      throw new MetricConfigException(
          "left and right of "
              + name
              + " must be finite with left < right, got "
              + left
              + ", "
              + right);
    }
    return new CalibrationPlot(name, numBuckets, left, right, weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    if (left == 0.0 && right == 1.0) {
      needs.requireHistogram();
    } else {
      needs.requireHistogramRange(left, right);
    }
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    CalibrationHistogram.Bucket[] buckets =
        slice.accumulator().histogram(left, right).rebin(thresholds, left, right);
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

  /** Any label: a bucket sums weight·label, as TFMA's histogram does for a regression model. */
  @Override
  public boolean needsBinaryLabels() {
    return false;
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
