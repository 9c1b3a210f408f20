package io.fairbeam.predict;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The inputs and outputs of one SavedModel signature, read once at launch: enough to check the
 * config against the model before any data is read, and to build input tensors on workers without
 * asking TensorFlow again. Plain data, serializable with the plan.
 */
@Internal
public record ModelSignature(String name, Map<String, Tensor> inputs, Map<String, Tensor> outputs)
    implements Serializable {

  /** The element types Fairbeam can feed or read; anything else is {@link #OTHER}. */
  public enum DType {
    FLOAT,
    DOUBLE,
    INT32,
    INT64,
    STRING,
    OTHER
  }

  /**
   * One input or output: its key in the signature, the graph tensor it names, its type, and its
   * shape with -1 for an unknown dimension (the first is the batch).
   */
  public record Tensor(String key, String tensorName, DType dtype, String dtypeName, long[] shape)
      implements Serializable {

    /** Values per example: the product of the non-batch dimensions, or -1 if one is unknown. */
    public long valuesPerExample() {
      long product = 1;
      for (int i = 1; i < shape.length; i++) {
        if (shape[i] < 0) {
          return -1;
        }
        product *= shape[i];
      }
      return product;
    }

    /** E.g. {@code float [-1, 28, 28, 3]}. */
    public String describe() {
      return dtypeName + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t
          && key.equals(t.key)
          && tensorName.equals(t.tensorName)
          && dtype == t.dtype
          && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
      return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return key + ": " + describe();
    }
  }

  /**
   * Whether the signature takes serialized {@code tf.Example} records (the Estimator/TFX style): a
   * single string input of one value per example.
   */
  public boolean takesSerializedExamples() {
    if (inputs.size() != 1) {
      return false;
    }
    Tensor input = inputs.values().iterator().next();
    return input.dtype() == DType.STRING && input.shape().length == 1;
  }

  /** E.g. {@code image: float [-1, 28, 28, 3]}, for messages. */
  public static String describe(Map<String, Tensor> tensors) {
    return tensors.values().stream().map(Tensor::toString).collect(Collectors.joining(", "));
  }

  /** The inputs in a fixed order. */
  public List<Tensor> inputList() {
    return List.copyOf(inputs.values());
  }
}
