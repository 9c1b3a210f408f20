package io.fairbeam.metrics;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One slice's accumulators, one per model, in the plan's model order. All models are evaluated on
 * the same records, so a slice's models travel, merge and are derived together, which is what lets
 * the derive step compare a candidate with its baseline without another shuffle.
 *
 * <p>For confidence intervals the accumulators are kept in rows, laid out as {@link Resampling}
 * says: an example is added to the rows its {@link SampleWeights} name, so resampling needs no
 * extra pass; {@link #pointEstimate} and {@link #replicate} read the point estimate's and a
 * replicate's accumulators from the rows. Row 0 (the point estimate's) keeps the full histogram,
 * the replicate rows the coarser one of {@link AccumulatorSpec#forReplicates()}. A row is created
 * when its first example arrives, so a small slice holds only the rows it touches.
 */
@Internal
public final class ModelAccumulators {
  private final AccumulatorSpec spec;
  private final AccumulatorSpec replicateSpec;
  private final int modelCount;
  private final Resampling resampling;

  /** [row][model]; a row is null until it holds an example. */
  private final SliceAccumulator[][] rows;

  /**
   * [row][model]: how each model's decisions pair with the baseline's on the row's examples (null
   * for the baseline itself; a row is null until it holds an example, as {@link #rows}); null when
   * the spec keeps no paired counts. Kept per row so that the metrics computed from them (flip
   * rates) get intervals like the others.
   */
  private final PairedCounts[][] paired;

  /**
   * Per model, the model its decisions are paired with, or −1 ({@link AccumulatorSpec#pairedWith}).
   */
  private final int[] pairedWith;

  /** Empty accumulators for {@code modelCount} models, without resampling. */
  public ModelAccumulators(AccumulatorSpec spec, int modelCount) {
    this(spec, modelCount, Resampling.NONE);
  }

  /** Empty accumulators for {@code modelCount} models, in the rows of {@code resampling}. */
  public ModelAccumulators(AccumulatorSpec spec, int modelCount, Resampling resampling) {
    this.spec = spec;
    this.replicateSpec = spec.forReplicates();
    this.modelCount = modelCount;
    this.resampling = resampling;
    this.rows = new SliceAccumulator[resampling.rows()][];
    if (rows.length == 1) {
      rows[0] = newRow(0);
    }
    this.pairedWith = new int[modelCount];
    boolean pairs = false;
    for (int m = 0; m < modelCount; m++) {
      int with = spec.pairedWith(m);
      pairedWith[m] = with >= 0 && with < modelCount && with != m ? with : -1;
      pairs |= pairedWith[m] >= 0;
    }
    if (pairs) {
      paired = new PairedCounts[rows.length][];
      if (rows.length == 1) {
        paired[0] = newPairedRow();
      }
    } else {
      paired = null;
    }
  }

  private PairedCounts[] newPairedRow() {
    PairedCounts[] row = new PairedCounts[modelCount];
    for (int m = 0; m < modelCount; m++) {
      row[m] = pairedWith[m] < 0 ? null : new PairedCounts(spec.thresholdsUnsafe().length);
    }
    return row;
  }

  private PairedCounts[] pairedRow(int row) {
    PairedCounts[] counts = paired[row];
    if (counts == null) {
      counts = newPairedRow();
      paired[row] = counts;
    }
    return counts;
  }

  /**
   * How model {@code index}'s decisions pair with the baseline's on this slice's examples (the
   * point estimate's, or a replicate's once read with {@link #replicate}); null when none are kept
   * (for the baseline, or when no metric or threshold compares the models).
   */
  public PairedCounts paired(int index) {
    if (paired == null) {
      return null;
    }
    if (paired[0] == null) {
      paired[0] = newPairedRow();
    }
    return paired[0][index];
  }

  private SliceAccumulator[] newRow(int row) {
    SliceAccumulator[] accumulators = new SliceAccumulator[modelCount];
    for (int m = 0; m < modelCount; m++) {
      accumulators[m] = new SliceAccumulator(specOf(row));
    }
    return accumulators;
  }

  private AccumulatorSpec specOf(int row) {
    return row == 0 ? spec : replicateSpec;
  }

  public int modelCount() {
    return modelCount;
  }

  public Resampling resampling() {
    return resampling;
  }

  /**
   * The accumulators of row {@code row}, one per model, for adding examples: the array itself, so
   * the hot path looks the row up once per slice, not once per model.
   */
  public SliceAccumulator[] rowAccumulators(int row) {
    SliceAccumulator[] accumulators = rows[row];
    if (accumulators == null) {
      accumulators = newRow(row);
      rows[row] = accumulators;
    }
    return accumulators;
  }

  /** Adds one example, prepared once per model, to the rows {@code weights} names. */
  public void add(PreparedExample[] models, SampleWeights weights) {
    add(models, weights, null);
  }

  /**
   * As {@link #add(PreparedExample[], SampleWeights)}, with the histogram updates held in {@code
   * deferred}, which the caller flushes before reading these accumulators.
   */
  public void add(PreparedExample[] models, SampleWeights weights, HistogramUpdates deferred) {
    for (int i = 0; i < weights.size(); i++) {
      SliceAccumulator[] row = rowAccumulators(weights.row(i));
      int multiplicity = weights.multiplicity(i);
      for (int m = 0; m < modelCount; m++) {
        row[m].add(models[m], multiplicity, deferred);
      }
      if (paired != null) {
        PairedCounts[] pairedRow = pairedRow(weights.row(i));
        for (int m = 0; m < modelCount; m++) {
          if (pairedRow[m] != null) {
            pairedRow[m].add(models[m], models[pairedWith[m]], multiplicity);
          }
        }
      }
    }
  }

  /**
   * How many replicates hold at least one example, as TFMA counts its non-empty samples: a
   * jackknife replicate is empty only when its slice's data all lie in the bucket it leaves out.
   */
  public int nonEmptyReplicates() {
    return switch (resampling.method()) {
      case NONE -> 0;
      case JACKKNIFE -> {
        int filled = nonEmptyRows(1);
        yield filled >= 2 ? resampling.samples() : filled == 1 ? resampling.samples() - 1 : 0;
      }
      case POISSON_BOOTSTRAP -> nonEmptyRows(1);
    };
  }

  private int nonEmptyRows(int from) {
    int count = 0;
    for (int r = from; r < rows.length; r++) {
      if (rows[r] != null && rows[r][0].exampleCount() > 0) {
        count++;
      }
    }
    return count;
  }

  /**
   * The accumulator of model {@code index}. Without resampling it is the accumulator examples are
   * added to; with resampling, read it from {@link #pointEstimate()}.
   */
  public SliceAccumulator model(int index) {
    if (rows.length != 1) {
      throw new IllegalStateException("accumulators kept in rows: read the point estimate first");
    }
    return rows[0][index];
  }

  /** The point estimate's accumulators (row 0), without resampling. */
  public ModelAccumulators pointEstimate() {
    return resampling.method() == Resampling.Method.NONE ? this : copyOfRow(0);
  }

  /**
   * The point estimate's accumulators at the replicates' resolution (row 0 with the replicates'
   * coarser histogram): the value the replicates vary around.
   */
  public ModelAccumulators pointEstimateAtReplicateResolution() {
    ModelAccumulators result = new ModelAccumulators(replicateSpec, modelCount);
    if (rows[0] != null) {
      for (int m = 0; m < modelCount; m++) {
        result.rows[0][m] = rows[0][m].coarsened(replicateSpec);
      }
    }
    result.mergePairedRow(this, 0);
    return result;
  }

  /**
   * The accumulators of replicate {@code replicate} in [0, samples), without resampling: all
   * buckets but one for the jackknife, one Poisson-weighted row for the bootstrap.
   */
  public ModelAccumulators replicate(int replicate) {
    return switch (resampling.method()) {
      case NONE -> throw new IllegalStateException("no replicates without resampling");
      case JACKKNIFE -> mergeBucketsExcept(replicate + 1);
      case POISSON_BOOTSTRAP -> copyOfRow(replicate + 1);
    };
  }

  /** The replicate rows but {@code left} merged, as accumulators without resampling. */
  private ModelAccumulators mergeBucketsExcept(int left) {
    ModelAccumulators result = new ModelAccumulators(replicateSpec, modelCount);
    for (int r = 1; r < rows.length; r++) {
      if (r != left && rows[r] != null) {
        for (int m = 0; m < modelCount; m++) {
          result.rows[0][m].merge(rows[r][m]);
        }
        result.mergePairedRow(this, r);
      }
    }
    return result;
  }

  private ModelAccumulators copyOfRow(int row) {
    ModelAccumulators result = new ModelAccumulators(specOf(row), modelCount);
    if (rows[row] != null) {
      for (int m = 0; m < modelCount; m++) {
        result.rows[0][m].merge(rows[row][m]);
      }
    }
    result.mergePairedRow(this, row);
    return result;
  }

  /** Adds {@code other}'s paired counts of row {@code row} to this one's (unresampled) row 0. */
  private void mergePairedRow(ModelAccumulators other, int row) {
    if (paired == null || other.paired == null || other.paired[row] == null) {
      return;
    }
    PairedCounts[] into = pairedRow(0);
    for (int m = 0; m < modelCount; m++) {
      if (into[m] != null) {
        into[m].merge(other.paired[row][m]);
      }
    }
  }

  /** Adds {@code other}'s counts, sample by sample and model by model. */
  public void merge(ModelAccumulators other) {
    if (other.modelCount != modelCount || !other.resampling.equals(resampling)) {
      throw new IllegalArgumentException(
          "cannot merge accumulators of "
              + other.modelCount
              + " models under "
              + other.resampling
              + " into "
              + modelCount
              + " models under "
              + resampling);
    }
    for (int r = 0; r < rows.length; r++) {
      if (other.rows[r] == null) {
        continue;
      }
      if (rows[r] == null) {
        rows[r] = newRow(r);
      }
      for (int m = 0; m < modelCount; m++) {
        rows[r][m].merge(other.rows[r][m]);
      }
    }
    if (paired != null && other.paired != null) {
      for (int r = 0; r < paired.length; r++) {
        if (other.paired[r] == null) {
          continue;
        }
        PairedCounts[] into = pairedRow(r);
        for (int m = 0; m < modelCount; m++) {
          if (into[m] != null) {
            into[m].merge(other.paired[r][m]);
          }
        }
      }
    }
  }

  /** The examples counted in this slice (the same for every model). */
  public long exampleCount() {
    return rows[0] == null ? 0 : rows[0][0].exampleCount();
  }

  /** Encodes all rows' and models' accumulators; {@link #fromBytes} decodes them. */
  public byte[] toBytes() {
    int size = 12;
    for (SliceAccumulator[] row : rows) {
      size += 1;
      if (row != null) {
        for (SliceAccumulator model : row) {
          size += model.encodedSize();
        }
      }
    }
    if (paired != null) {
      for (PairedCounts[] row : paired) {
        size += 1;
        if (row != null) {
          for (PairedCounts counts : row) {
            size += counts == null ? 0 : counts.encodedSize();
          }
        }
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(modelCount);
    out.putInt(resampling.method().ordinal());
    out.putInt(resampling.samples());
    for (SliceAccumulator[] row : rows) {
      out.put((byte) (row == null ? 0 : 1));
      if (row != null) {
        for (SliceAccumulator model : row) {
          model.writeTo(out);
        }
      }
    }
    if (paired != null) {
      for (PairedCounts[] row : paired) {
        out.put((byte) (row == null ? 0 : 1));
        if (row != null) {
          for (PairedCounts counts : row) {
            if (counts != null) {
              counts.writeTo(out);
            }
          }
        }
      }
    }
    return out.array();
  }

  /** Decodes what {@link #toBytes} wrote under the same spec. */
  public static ModelAccumulators fromBytes(AccumulatorSpec spec, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int models = in.getInt();
    int method = in.getInt();
    int samples = in.getInt();
    Resampling.Method[] methods = Resampling.Method.values();
    if (models < 1
        || models > 1024
        || method < 0
        || method >= methods.length
        || samples < 0
        || samples > 100_000) {
      throw new IllegalArgumentException(
          "encoded accumulators claim " + models + " models and " + samples + " samples");
    }
    ModelAccumulators result =
        new ModelAccumulators(spec, models, new Resampling(methods[method], samples));
    for (int r = 0; r < result.rows.length; r++) {
      boolean present = in.get() != 0;
      if (!present) {
        result.rows[r] = null;
        continue;
      }
      SliceAccumulator[] row = new SliceAccumulator[models];
      for (int m = 0; m < models; m++) {
        row[m] = SliceAccumulator.readFrom(result.specOf(r), in);
      }
      result.rows[r] = row;
    }
    if (result.paired != null) {
      for (int r = 0; r < result.paired.length; r++) {
        if (in.get() == 0) {
          result.paired[r] = null;
          continue;
        }
        PairedCounts[] row = result.newPairedRow();
        for (int m = 0; m < models; m++) {
          if (row[m] != null) {
            row[m] = PairedCounts.readFrom(spec.thresholdsUnsafe().length, in);
          }
        }
        result.paired[r] = row;
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("encoded accumulators do not match their spec");
    }
    return result;
  }
}
