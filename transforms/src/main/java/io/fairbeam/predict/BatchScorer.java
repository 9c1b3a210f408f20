package io.fairbeam.predict;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Holds examples until there are enough for one inference call, then scores them with every model
 * that is run (the others read their score from a feature). Checks each example against each
 * model's inputs as it arrives, so an example a model cannot take is reported at once and never
 * reaches a batch. The outputs of one SavedModel signature (a multi-output model's heads) are read
 * from one run.
 */
@Internal
public final class BatchScorer implements AutoCloseable {
  private final List<ModelRunner> runners = new ArrayList<>();

  private final ExampleBatch batch;
  private final double[][] scores;

  /** Per runner, the score arrays it fills (views of {@link #scores}, in its outputs' order). */
  private final List<double[][]> runnerScores = new ArrayList<>();

  /**
   * A scorer for the models {@code inferences} (by model index; null for a model whose score is a
   * feature), named in messages by {@code names} (models sharing a run by the first one's name),
   * whose inputs are built from examples of {@code features}. The models are acquired here (shared
   * with the other scorers of this JVM) and released by {@link #close}.
   *
   * @throws ModelFailedException if a model cannot be loaded
   */
  public BatchScorer(List<Inference> inferences, List<String> names, FeatureSet features) {
    int batchSize = 1;
    boolean keepRecords = false;
    List<List<Integer>> runs = new ArrayList<>();
    this.scores = new double[inferences.size()][];
    for (int m = 0; m < inferences.size(); m++) {
      Inference inference = inferences.get(m);
      if (inference == null) {
        continue;
      }
      batchSize = Math.max(batchSize, inference.batchSize());
      keepRecords |= inference.signature().takesSerializedExamples();
      List<Integer> run = null;
      for (List<Integer> other : runs) {
        if (inferences.get(other.get(0)).sameRun(inference)) {
          run = other;
        }
      }
      if (run == null) {
        run = new ArrayList<>();
        runs.add(run);
      }
      run.add(m);
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no model is run; scores are all features");
    }
    this.batch = new ExampleBatch(features, batchSize, keepRecords);
    try {
      for (List<Integer> run : runs) {
        List<Inference> outputs = new ArrayList<>();
        double[][] filled = new double[run.size()][];
        for (int i = 0; i < run.size(); i++) {
          int m = run.get(i);
          outputs.add(inferences.get(m));
          scores[m] = new double[batchSize * inferences.get(m).scoresPerExample()];
          filled[i] = scores[m];
        }
        runners.add(new ModelRunner(names.get(run.get(0)), outputs, features));
        runnerScores.add(filled);
      }
    } catch (ModelException e) {
      close();
      throw new ModelFailedException(e.getMessage(), e);
    }
  }

  /** The example the next record is decoded into. */
  public ExampleFeatures next() {
    return batch.next();
  }

  /**
   * Adds the example decoded into {@link #next()}, read from record {@code recordIndex} of {@code
   * file} at {@code byteOffset} (and {@code recordInBlock}, as in {@link
   * io.fairbeam.extract.RecordSink#accept}; {@code buffer[0, length)}: its serialized bytes, for
   * models that take them), or returns why a model cannot take it (and leaves it out).
   */
  public ModelRunner.InputProblem add(
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length) {
    for (ModelRunner runner : runners) {
      ModelRunner.InputProblem problem = runner.problemWith(batch.next());
      if (problem != null) {
        return problem;
      }
    }
    batch.commit(file, recordIndex, byteOffset, recordInBlock, buffer, length);
    return null;
  }

  /** The most examples a batch holds. */
  public int capacity() {
    return batch.capacity();
  }

  public boolean isFull() {
    return batch.isFull();
  }

  /** Examples held, scored by {@link #score} and not yet cleared. */
  public int size() {
    return batch.size();
  }

  /**
   * Runs every model over the held examples; {@link #scores()}{@code [m][row * k + c]} is then
   * model {@code m}'s score {@code c} of {@link #example(int) example(row)}, where {@code k} is
   * {@link Inference#scoresPerExample} (1 but for class scores).
   */
  public void score() {
    for (int i = 0; i < runners.size(); i++) {
      runners.get(i).predict(batch, runnerScores.get(i));
    }
  }

  /** The scores by model and row (null for models whose score is a feature). */
  public double[][] scores() {
    return scores;
  }

  public ExampleFeatures example(int row) {
    return batch.example(row);
  }

  public String fileName(int row) {
    return batch.fileName(row);
  }

  public long recordIndex(int row) {
    return batch.recordIndex(row);
  }

  public long byteOffset(int row) {
    return batch.byteOffset(row);
  }

  public long recordInBlock(int row) {
    return batch.recordInBlock(row);
  }

  /** Empties the batch for the next examples. */
  public void clear() {
    batch.clear();
  }

  /** Releases the models. */
  @Override
  public void close() {
    for (ModelRunner runner : runners) {
      runner.close();
    }
    runners.clear();
  }
}
