package io.fairbeam.metrics;

import java.util.Arrays;

/**
 * TFMA's calibration histogram: {@code numBuckets} equal buckets over [0, 1] plus one catch-all
 * bucket below and one above, each holding the sums of weight, weight·label and weight·prediction
 * of the examples that fall in it.
 *
 * <p>It starts sparse (a hash map of the buckets that received an example) and switches to plain
 * arrays over all {@code numBuckets + 2} buckets once it holds more than a few hundred, so small
 * slices stay small, large ones are updated by index, and the size is bounded whatever the number
 * of examples. The bucket of a prediction is TFMA's {@code int((p - 0) / 1 * numBuckets) + 1},
 * clamped to {@code [0, numBuckets + 1]}. AUC and the confusion-matrix curves are derived from it
 * exactly as TFMA derives them ({@link #rebin}, {@link #confusionCountsAt}).
 */
final class CalibrationHistogram {
  /** Above this many buckets the histogram switches from a hash map to plain arrays. */
  private static final int DENSE_AFTER = 256;

  private final int numBuckets;
  // Sparse form: open addressing from bucket id to slot; slot arrays grow as buckets appear.
  private int[] table;
  private int[] ids;
  private double[] weights;
  private double[] weightedLabels;
  private double[] weightedPredictions;
  private int size;
  // Dense form (once more than DENSE_AFTER buckets hold data): weight, weight·label and
  // weight·prediction of bucket b at 3b, 3b+1 and 3b+2, so an update touches one cache line.
  private double[] dense;

  public CalibrationHistogram(int numBuckets) {
    this.numBuckets = numBuckets;
    this.table = new int[16];
    Arrays.fill(table, -1);
    this.ids = new int[8];
    this.weights = new double[8];
    this.weightedLabels = new double[8];
    this.weightedPredictions = new double[8];
    if (numBuckets + 2 <= DENSE_AFTER) {
      toDense(); // small enough to be arrays from the start
    }
  }

  /**
   * The bucket of a histogram of {@code coarseBuckets} that holds bucket {@code fine} of one of
   * {@code fineBuckets} ({@code fineBuckets} a multiple of {@code coarseBuckets}), by integers
   * only, so a prediction's coarse bucket follows from its fine one the same way everywhere.
   */
  static int coarsen(int fine, int fineBuckets, int coarseBuckets) {
    if (fine <= 0) {
      return 0;
    }
    if (fine > fineBuckets) {
      return coarseBuckets + 1;
    }
    return (fine - 1) / (fineBuckets / coarseBuckets) + 1;
  }

  /** This histogram regrouped into {@code coarseBuckets} buckets (see {@link #coarsen}). */
  CalibrationHistogram coarsened(int coarseBuckets) {
    CalibrationHistogram result = new CalibrationHistogram(coarseBuckets);
    for (Bucket bucket : sortedBuckets()) {
      result.addToBucket(
          coarsen(bucket.id(), numBuckets, coarseBuckets),
          bucket.weight(),
          bucket.weightedLabel(),
          bucket.weightedPrediction());
    }
    return result;
  }

  public int numBuckets() {
    return numBuckets;
  }

  /** Whether the histogram is stored as plain arrays over all buckets. */
  public boolean dense() {
    return dense != null;
  }

  /** Bucket id of a prediction, as TFMA computes it. */
  public int bucketOf(double prediction) {
    double index = prediction * numBuckets + 1;
    if (index < 0) {
      return 0;
    }
    if (index >= numBuckets + 1) {
      return numBuckets + 1;
    }
    return (int) index;
  }

  /**
   * The bucket of {@code prediction} in a histogram of {@code numBuckets} equal buckets over
   * [{@code left}, {@code right}], as TFMA's {@code _bucket_index} with a label range: {@code
   * int((p − left) / (right − left) · n) + 1}, clamped to {@code [0, n + 1]}.
   */
  static int bucketOf(double prediction, int numBuckets, double left, double right) {
    double index = (prediction - left) / (right - left) * numBuckets + 1;
    if (index < 0) {
      return 0;
    }
    if (index >= numBuckets + 1) {
      return numBuckets + 1;
    }
    return (int) index;
  }

  /** Adds one example. */
  public void add(double prediction, double label, double weight) {
    addToBucket(bucketOf(prediction), weight, label * weight, prediction * weight);
  }

  /** Adds sums to a bucket; used by {@link #add}, merging and decoding. */
  public void addToBucket(int bucket, double weight, double weightedLabel, double weightedPred) {
    if (dense != null) {
      int i = 3 * bucket;
      dense[i] += weight;
      dense[i + 1] += weightedLabel;
      dense[i + 2] += weightedPred;
      return;
    }
    int slot = slotOf(bucket);
    weights[slot] += weight;
    weightedLabels[slot] += weightedLabel;
    weightedPredictions[slot] += weightedPred;
    if (size > DENSE_AFTER) {
      toDense();
    }
  }

  private void toDense() {
    dense = new double[3 * (numBuckets + 2)];
    for (int slot = 0; slot < size; slot++) {
      int i = 3 * ids[slot];
      dense[i] += weights[slot];
      dense[i + 1] += weightedLabels[slot];
      dense[i + 2] += weightedPredictions[slot];
    }
    table = null;
    ids = null;
    weights = null;
    weightedLabels = null;
    weightedPredictions = null;
    size = 0;
  }

  private int slotOf(int bucket) {
    int mask = table.length - 1;
    int h = (bucket * 0x9E3779B1) >>> 7 & mask;
    while (true) {
      int slot = table[h];
      if (slot < 0) {
        return insert(bucket, h);
      }
      if (ids[slot] == bucket) {
        return slot;
      }
      h = (h + 1) & mask;
    }
  }

  private int insert(int bucket, int tableIndex) {
    if (size == ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      weights = Arrays.copyOf(weights, capacity);
      weightedLabels = Arrays.copyOf(weightedLabels, capacity);
      weightedPredictions = Arrays.copyOf(weightedPredictions, capacity);
    }
    int slot = size++;
    ids[slot] = bucket;
    table[tableIndex] = slot;
    if (size * 2 > table.length) {
      rehash();
    }
    return slot;
  }

  private void rehash() {
    table = new int[table.length * 2];
    Arrays.fill(table, -1);
    int mask = table.length - 1;
    for (int slot = 0; slot < size; slot++) {
      int h = (ids[slot] * 0x9E3779B1) >>> 7 & mask;
      while (table[h] >= 0) {
        h = (h + 1) & mask;
      }
      table[h] = slot;
    }
  }

  /** Adds every bucket of {@code other}, which must have the same number of buckets. */
  public void merge(CalibrationHistogram other) {
    if (other.numBuckets != numBuckets) {
      throw new IllegalArgumentException("Cannot merge histograms of different bucket counts");
    }
    if (other.dense != null) {
      if (dense == null) {
        toDense();
      }
      for (int i = 0; i < dense.length; i++) {
        dense[i] += other.dense[i];
      }
      return;
    }
    for (int slot = 0; slot < other.size; slot++) {
      addToBucket(
          other.ids[slot],
          other.weights[slot],
          other.weightedLabels[slot],
          other.weightedPredictions[slot]);
    }
  }

  /** The buckets that received data, in ascending id order. */
  public Bucket[] sortedBuckets() {
    if (dense != null) {
      java.util.List<Bucket> result = new java.util.ArrayList<>();
      for (int b = 0; b < numBuckets + 2; b++) {
        int i = 3 * b;
        if (dense[i] != 0 || dense[i + 1] != 0 || dense[i + 2] != 0) {
          result.add(new Bucket(b, dense[i], dense[i + 1], dense[i + 2]));
        }
      }
      return result.toArray(new Bucket[0]);
    }
    Bucket[] result = new Bucket[size];
    for (int slot = 0; slot < size; slot++) {
      result[slot] =
          new Bucket(ids[slot], weights[slot], weightedLabels[slot], weightedPredictions[slot]);
    }
    Arrays.sort(result, (a, b) -> Integer.compare(a.id(), b.id()));
    return result;
  }

  /** Size in bytes of {@link #writeTo}'s encoding. */
  int encodedSize() {
    return 1 + (dense != null ? 8 * dense.length : 4 + size * (4 + 3 * 8));
  }

  /** Encodes the histogram: sparse entries, or the three dense arrays in bulk. */
  void writeTo(java.nio.ByteBuffer out) {
    if (dense != null) {
      out.put((byte) 1);
      out.asDoubleBuffer().put(dense);
      out.position(out.position() + 8 * dense.length);
      return;
    }
    out.put((byte) 0).putInt(size);
    for (int slot = 0; slot < size; slot++) {
      out.putInt(ids[slot])
          .putDouble(weights[slot])
          .putDouble(weightedLabels[slot])
          .putDouble(weightedPredictions[slot]);
    }
  }

  /** Adds the histogram encoded by {@link #writeTo} to this (empty or not) histogram. */
  void readFrom(java.nio.ByteBuffer in) {
    byte form = in.get();
    if (form == 1) {
      if (dense == null) {
        toDense();
      }
      double[] values = new double[dense.length];
      in.asDoubleBuffer().get(values);
      for (int i = 0; i < values.length; i++) {
        dense[i] += values[i];
      }
      in.position(in.position() + 8 * values.length);
      return;
    }
    if (form != 0) {
      throw new IllegalArgumentException("unknown histogram encoding " + form);
    }
    int entries = in.getInt();
    for (int i = 0; i < entries; i++) {
      int id = in.getInt();
      if (id < 0 || id > numBuckets + 1) {
        throw new IllegalArgumentException("histogram bucket " + id + " out of range");
      }
      addToBucket(id, in.getDouble(), in.getDouble(), in.getDouble());
    }
  }

  /** One bucket's sums. */
  public record Bucket(int id, double weight, double weightedLabel, double weightedPrediction) {}

  /**
   * Regroups the buckets by new thresholds, as TFMA's {@code calibration_histogram.rebin}: the
   * result has one bucket per threshold; bucket {@code i} collects the histogram buckets whose left
   * edge lies in {@code [thresholds[i], thresholds[i+1])}, with everything below the first
   * threshold in bucket 0 and everything above the last in the last bucket.
   */
  public Bucket[] rebin(double[] thresholds) {
    return rebin(thresholds, 0.0, 1.0);
  }

  /**
   * As {@link #rebin(double[])}, for a histogram over [{@code left}, {@code right}] ({@link
   * #bucketOf(double, int, double, double)}): a bucket's left edge is TFMA's {@code (id − 1) / n ·
   * (right − left) + left}.
   */
  public Bucket[] rebin(double[] thresholds, double left, double right) {
    Bucket[] result = new Bucket[thresholds.length];
    int offset = 0;
    double weight = 0;
    double label = 0;
    double prediction = 0;
    for (Bucket bucket : sortedBuckets()) {
      double leftEdge;
      if (bucket.id() == 0) {
        leftEdge = Double.NEGATIVE_INFINITY;
      } else if (bucket.id() >= numBuckets + 1) {
        leftEdge = Double.POSITIVE_INFINITY;
      } else {
        leftEdge = (bucket.id() - 1) / (double) numBuckets * (right - left) + left;
      }
      if (offset + 1 < thresholds.length && leftEdge >= thresholds[offset + 1]) {
        result[offset] = new Bucket(offset, weight, label, prediction);
        offset++;
        weight = 0;
        label = 0;
        prediction = 0;
        while (offset + 1 < thresholds.length && leftEdge >= thresholds[offset + 1]) {
          result[offset] = new Bucket(offset, 0, 0, 0);
          offset++;
        }
      }
      weight += bucket.weight();
      label += bucket.weightedLabel();
      prediction += bucket.weightedPrediction();
    }
    result[offset] = new Bucket(offset, weight, label, prediction);
    offset++;
    while (offset < thresholds.length) {
      result[offset] = new Bucket(offset, 0, 0, 0);
      offset++;
    }
    return result;
  }

  private static final double EPSILON = 1e-7;

  /**
   * Confusion counts at {@code thresholds} derived from this histogram the way TFMA derives them
   * for AUC and other {@code num_thresholds} metrics ({@code binary_confusion_matrices} with {@code
   * use_histogram}): predictions are known only to bucket precision.
   */
  public ConfusionCounts[] confusionCountsAt(double[] thresholds) {
    double[] rebinThresholds = new double[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      rebinThresholds[i] = thresholds[i] != 0 ? thresholds[i] + EPSILON : thresholds[i];
    }
    if (thresholds[0] >= 0) {
      rebinThresholds = concat(new double[] {-EPSILON}, rebinThresholds);
    }
    if (thresholds[thresholds.length - 1] < 1.0) {
      rebinThresholds = concat(rebinThresholds, new double[] {1.0 + EPSILON});
    }
    Bucket[] histogram = rebin(rebinThresholds);
    int n = histogram.length;
    double[] tp = new double[n];
    double[] fp = new double[n];
    double[] tn = new double[n];
    double[] fn = new double[n];
    for (int i = 0; i < n; i++) {
      int start = i;
      int end = n - i - 1;
      double startPositive = histogram[start].weightedLabel();
      double startNegative = histogram[start].weight() - histogram[start].weightedLabel();
      double endPositive = histogram[end].weightedLabel();
      double endNegative = histogram[end].weight() - histogram[end].weightedLabel();
      tp[end] = end < n - 1 ? tp[end + 1] + endPositive : endPositive;
      fp[end] = end < n - 1 ? fp[end + 1] + endNegative : endNegative;
      if (start + 1 < n) {
        tn[start + 1] = tn[start] + startNegative;
        fn[start + 1] = fn[start] + startPositive;
      }
    }
    int offset = (thresholds[0] >= 0 || thresholds.length == 1) && n > 1 ? 1 : 0;
    ConfusionCounts[] result = new ConfusionCounts[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      int j = i + offset;
      if (thresholds[i] >= 1.0 + EPSILON) {
        result[i] = new ConfusionCounts(thresholds[i], 0.0, 0.0, fp[offset], tp[offset]);
      } else {
        result[i] = new ConfusionCounts(thresholds[i], tp[j], fp[j], tn[j], fn[j]);
      }
    }
    return result;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] result = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }

  /**
   * Keras' interpolated thresholds, as TFMA uses them for {@code num_thresholds}: {@code -1e-7},
   * {@code (i + 1) / (n - 1)} for {@code i < n - 2}, and {@code 1 + 1e-7}.
   */
  public static double[] interpolatedThresholds(int numThresholds) {
    if (numThresholds <= 1) {
      throw new IllegalArgumentException("num_thresholds must be > 1, got " + numThresholds);
    }
    double[] result = new double[numThresholds];
    result[0] = -EPSILON;
    for (int i = 0; i < numThresholds - 2; i++) {
      result[i + 1] = (i + 1) * 1.0 / (numThresholds - 1);
    }
    result[numThresholds - 1] = 1.0 + EPSILON;
    return result;
  }
}
