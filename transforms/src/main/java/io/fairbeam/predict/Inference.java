package io.fairbeam.predict;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a model's score is predicted by running a SavedModel, as resolved and checked against the
 * config before any data is read ({@link SavedModelResolver}).
 *
 * @param directory the SavedModel directory
 * @param signature the signature run (inputs and outputs as read at launch)
 * @param output the output used as the score: one per example, or one per class
 * @param batchSize examples per inference call ({@code inference_batch_size})
 */
@Internal
public record Inference(
    String directory, ModelSignature signature, ModelSignature.Tensor output, int batchSize)
    implements Serializable {

  /** Scores the output gives per example: 1, or the number of classes of a {@code [batch, C]}. */
  public int scoresPerExample() {
    return (int) output.valuesPerExample();
  }

  /** Whether {@code other} runs the same signature of the same model (only its output differs). */
  boolean sameRun(Inference other) {
    return directory.equals(other.directory) && signature.equals(other.signature);
  }
}
