package io.fairbeam.predict;

import io.fairbeam.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Resolves a SavedModel named for a {@code model_specs} into an {@link Inference}: loads its
 * signature and checks, before any data is read, that Fairbeam can feed its inputs (from serialized
 * examples, or from features of the same name) and that the chosen output is one float score per
 * example or one per class.
 */
@Internal
public final class SavedModelResolver {
  /** Examples per inference call when a ModelSpec sets no {@code inference_batch_size}. */
  public static final int DEFAULT_INFERENCE_BATCH_SIZE = 256;

  private SavedModelResolver() {}

  /**
   * Resolves the model in {@code directory}: signature {@code signatureName} (empty: {@code
   * serving_default}), output {@code predictionKey} (empty: the only output), {@code batchSize}
   * examples per call (0: the default). Errors start with {@code where}.
   *
   * @throws ConfigException if the model cannot be loaded or does not fit
   */
  public static Inference resolve(
      String directory, String signatureName, String predictionKey, int batchSize, String where) {
    return resolveOutputs(
            directory, signatureName, List.of(predictionKey), batchSize, List.of(where))
        .get(0);
  }

  /**
   * As {@link #resolve}, for several outputs of one model ({@code predictionKeys}, each with its
   * own {@code wheres} for errors), whose signature is loaded once.
   */
  public static List<Inference> resolveOutputs(
      String directory,
      String signatureName,
      List<String> predictionKeys,
      int batchSize,
      List<String> wheres) {
    String signatureKey = signatureName.isEmpty() ? "serving_default" : signatureName;
    ModelSignature signature;
    try {
      signature = SavedModels.signature(directory, signatureKey);
    } catch (ModelException e) {
      throw new ConfigException(wheres.get(0) + ": " + e.getMessage());
    }
    checkInputs(signature, wheres.get(0) + ", signature '" + signatureKey + "'");
    List<Inference> inferences = new ArrayList<>();
    for (int i = 0; i < predictionKeys.size(); i++) {
      String context = wheres.get(i) + ", signature '" + signatureKey + "'";
      ModelSignature.Tensor output = chooseOutput(signature, predictionKeys.get(i), context);
      inferences.add(
          new Inference(
              directory,
              signature,
              output,
              batchSize > 0 ? batchSize : DEFAULT_INFERENCE_BATCH_SIZE));
    }
    return inferences;
  }

  private static void checkInputs(ModelSignature signature, String context) {
    if (signature.inputs().isEmpty()) {
      throw new ConfigException(context + ": the signature has no inputs");
    }
    if (signature.takesSerializedExamples()) {
      return;
    }
    for (ModelSignature.Tensor input : signature.inputs().values()) {
      if (input.dtype() == ModelSignature.DType.OTHER) {
        throw new ConfigException(
            context
                + ": input '"
                + input.key()
                + "' has type "
                + input.dtypeName()
                + "; inputs built from features must be float, double, int32,"
                + " int64 or string");
      }
      if (input.shape().length == 0 || input.valuesPerExample() < 0) {
        throw new ConfigException(
            context
                + ": input '"
                + input.key()
                + "' has shape "
                + Arrays.toString(input.shape())
                + "; a batch dimension followed by"
                + " known dimensions is needed to build it from feature '"
                + input.key()
                + "'");
      }
    }
  }

  private static ModelSignature.Tensor chooseOutput(
      ModelSignature signature, String predictionKey, String context) {
    ModelSignature.Tensor output;
    if (!predictionKey.isEmpty()) {
      output = signature.outputs().get(predictionKey);
      if (output == null) {
        throw new ConfigException(
            context
                + ": prediction_key \""
                + predictionKey
                + "\" is not an output of the signature; outputs: "
                + ModelSignature.describe(signature.outputs()));
      }
    } else if (signature.outputs().size() == 1) {
      output = signature.outputs().values().iterator().next();
    } else {
      throw new ConfigException(
          context
              + ": the signature has several outputs ("
              + ModelSignature.describe(signature.outputs())
              + "); set prediction_key to the one that holds the score");
    }
    long[] shape = output.shape();
    boolean scores = shape.length == 1 || (shape.length == 2 && shape[1] > 0);
    boolean numeric =
        output.dtype() == ModelSignature.DType.FLOAT
            || output.dtype() == ModelSignature.DType.DOUBLE;
    if (!scores || !numeric) {
      throw new ConfigException(
          context
              + ": output '"
              + output.key()
              + "' is "
              + output.describe()
              + "; a float score per example ([batch] or [batch, 1]) or one per class ([batch,"
              + " classes], the number of classes known) is needed");
    }
    return output;
  }
}
