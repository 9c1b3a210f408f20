package io.fairbeam.predict;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a model's score is predicted by running a SavedModel, as resolved and checked against the
 * config before any data is read ({@link SavedModelResolver}).
 *
 * @param directory the SavedModel directory
 * @param signature the signature run (inputs and outputs as read at launch)
 * @param output the output used as the score
 * @param batchSize examples per inference call ({@code inference_batch_size})
 */
@Internal
public record Inference(
    String directory, ModelSignature signature, ModelSignature.Tensor output, int batchSize)
    implements Serializable {}
