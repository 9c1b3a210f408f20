package io.fairbeam.predict;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.extract.FeatureValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.annotations.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Runs one model of the plan over batches of examples: builds the signature's input tensors from
 * the examples (or feeds their serialized records), runs the shared session once per batch, and
 * returns the scores of each output read (one per example, or one per class). One per worker
 * thread; the loaded model itself is shared through {@link SavedModels}.
 */
@Internal
public final class ModelRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);
  private static final Set<String> DEVICE_LOGGED = ConcurrentHashMap.newKeySet();

  private final String model;
  private final Inference inference;

  /** The outputs read, each as its {@link Inference} gives it; all run the same signature. */
  private final List<Inference> outputs;

  private final SavedModels.Lease lease;
  private final Session session;
  private final List<ModelSignature.Tensor> inputs;
  private final int[] inputSlots;
  private final boolean serialized;
  private float[] floats = new float[0];
  private double[] doubles = new double[0];
  private long[] longs = new long[0];
  private int[] ints = new int[0];
  private float[] floatScores = new float[0];

  /**
   * A runner reading {@code outputs} (one or more outputs of the same model and signature), whose
   * inputs are read from examples of {@code features}; {@code model} names it in messages ({@code
   * model 'candidate'}).
   *
   * @throws ModelException if the model cannot be loaded
   */
  public ModelRunner(String model, List<Inference> outputs, FeatureSet features)
      throws ModelException {
    Inference inference = outputs.get(0);
    for (Inference output : outputs) {
      if (!output.sameRun(inference)) {
        throw new IllegalArgumentException("outputs of different models or signatures");
      }
    }
    this.model = model;
    this.inference = inference;
    this.outputs = List.copyOf(outputs);
    this.lease = SavedModels.acquire(inference.directory());
    this.session = lease.bundle().session();
    this.inputs = inference.signature().inputList();
    this.serialized = inference.signature().takesSerializedExamples();
    this.inputSlots = new int[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      inputSlots[i] = serialized ? -1 : features.slotOf(inputs.get(i).key());
    }
  }

  /**
   * Why an example cannot be fed to a model: {@code reason} groups such records in counts, {@code
   * detail} names the feature, the input and what is wrong.
   */
  public record InputProblem(String reason, String detail) {}

  /** Why {@code example} cannot be fed to this model, or null if it can. */
  public InputProblem problemWith(ExampleFeatures example) {
    if (serialized) {
      return null;
    }
    for (int i = 0; i < inputs.size(); i++) {
      ModelSignature.Tensor input = inputs.get(i);
      FeatureValues values = example.slot(inputSlots[i]);
      String what =
          "feature '"
              + input.key()
              + "' (input '"
              + input.key()
              + "' of "
              + model
              + ", "
              + input.describe()
              + ")";
      String reason = "input '" + input.key() + "' of " + model;
      if (!values.present()) {
        return new InputProblem(reason + " missing", what + " is missing");
      }
      boolean typeOk =
          switch (input.dtype()) {
            case FLOAT, DOUBLE ->
                values.kind() == FeatureKind.FLOAT || values.kind() == FeatureKind.INT64;
            case INT32, INT64 -> values.kind() == FeatureKind.INT64;
            case STRING -> values.kind() == FeatureKind.BYTES;
            case OTHER -> false;
          };
      if (!typeOk) {
        return new InputProblem(
            reason + " of the wrong type",
            what + " holds " + values.kind().name().toLowerCase(java.util.Locale.ROOT) + " values");
      }
      if (values.count() != input.valuesPerExample()) {
        return new InputProblem(
            reason + " of the wrong shape",
            what
                + " has "
                + values.count()
                + " values, the input takes "
                + input.valuesPerExample()
                + " per example");
      }
      if (input.dtype() == ModelSignature.DType.INT32) {
        for (int j = 0; j < values.count(); j++) {
          long value = values.int64At(j);
          if (value != (int) value) {
            return new InputProblem(
                reason + " out of range", what + " holds " + value + ", which does not fit int32");
          }
        }
      }
    }
    return null;
  }

  /**
   * Scores rows {@code [0, batch.size())} into {@code scores}, in calls of at most the model's
   * batch size: {@code scores[i]} receives output {@code i}'s, row {@code r}'s {@link
   * Inference#scoresPerExample} scores from {@code r} times that number. Every example must have
   * passed {@link #problemWith}.
   */
  public void predict(ExampleBatch batch, double[][] scores) {
    int batchSize = inference.batchSize();
    for (int start = 0; start < batch.size(); start += batchSize) {
      predict(batch, start, Math.min(batch.size(), start + batchSize), scores);
    }
  }

  private void predict(ExampleBatch batch, int from, int to, double[][] scores) {
    int n = to - from;
    List<Tensor> fed = new ArrayList<>(inputs.size());
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < inputs.size(); i++) {
        Tensor tensor =
            serialized
                ? recordsTensor(batch, from, to)
                : inputTensor(inputs.get(i), inputSlots[i], batch, from, to);
        fed.add(tensor);
        runner.feed(inputs.get(i).tensorName(), tensor);
      }
      for (Inference output : outputs) {
        runner.fetch(output.output().tensorName());
      }
      boolean logDevice = DEVICE_LOGGED.add(inference.directory());
      if (logDevice) {
        runner.setOptions(
            RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build());
      }
      try (Result result = logDevice ? runner.runAndFetchMetadata() : runner.run()) {
        if (logDevice) {
          logDevices(result.getMetadata().orElse(null));
        }
        for (int i = 0; i < outputs.size(); i++) {
          readScores(result.get(i), outputs.get(i), n, scores[i], from);
        }
      }
    } finally {
      for (Tensor tensor : fed) {
        tensor.close();
      }
    }
  }

  private void logDevices(RunMetadata metadata) {
    List<String> devices = new ArrayList<>();
    if (metadata != null) {
      for (DeviceStepStats stats : metadata.getStepStats().getDevStatsList()) {
        if (stats.getNodeStatsCount() > 0) {
          devices.add(stats.getDevice());
        }
      }
    }
    LOG.info(
        "{} ({}) ran on {}",
        model,
        inference.directory(),
        devices.isEmpty() ? "an unreported device" : String.join(", ", devices));
  }

  /**
   * Reads {@code output}'s scores of {@code n} examples into {@code scores} from row {@code row}.
   */
  private void readScores(Tensor output, Inference read, int n, double[] scores, int row) {
    int per = read.scoresPerExample();
    int values = n * per;
    if (output.shape().size() != values) {
      throw new ModelFailedException(
          model
              + " output '"
              + read.output().key()
              + "' has shape "
              + output.shape()
              + " for a batch of "
              + n
              + "; "
              + (per == 1 ? "one score" : per + " class scores")
              + " per example were expected");
    }
    int offset = row * per;
    if (output instanceof TFloat32) {
      if (floatScores.length < values) {
        floatScores = new float[values];
      }
      output.asRawTensor().data().asFloats().read(floatScores, 0, values);
      for (int i = 0; i < values; i++) {
        scores[offset + i] = floatScores[i];
      }
    } else if (output instanceof TFloat64) {
      output.asRawTensor().data().asDoubles().read(scores, offset, values);
    } else {
      throw new ModelFailedException(
          model
              + " output '"
              + read.output().key()
              + "' is "
              + output.dataType()
              + ", not a float score");
    }
  }

  private static Tensor recordsTensor(ExampleBatch batch, int from, int to) {
    byte[][] records = new byte[to - from][];
    for (int row = from; row < to; row++) {
      records[row - from] = batch.record(row);
    }
    return TString.tensorOfBytes(Shape.of(records.length), DataBuffers.ofObjects(records));
  }

  private Tensor inputTensor(
      ModelSignature.Tensor input, int slot, ExampleBatch batch, int from, int to) {
    int n = to - from;
    int per = (int) input.valuesPerExample();
    long[] dims = input.shape().clone();
    dims[0] = n;
    Shape shape = Shape.of(dims);
    int total = n * per;
    switch (input.dtype()) {
      case FLOAT -> {
        floats = ensure(floats, total);
        for (int row = from, k = 0; row < to; row++, k += per) {
          FeatureValues values = batch.example(row).slot(slot);
          if (values.kind() == FeatureKind.FLOAT) {
            values.copyFloats(per, floats, k);
          } else {
            for (int j = 0; j < per; j++) {
              floats[k + j] = values.int64At(j);
            }
          }
        }
        return TFloat32.tensorOf(shape, DataBuffers.of(floats, true, false).narrow(total));
      }
      case DOUBLE -> {
        doubles = ensure(doubles, total);
        for (int row = from, k = 0; row < to; row++) {
          FeatureValues values = batch.example(row).slot(slot);
          for (int j = 0; j < per; j++) {
            doubles[k++] = values.numberAt(j);
          }
        }
        return TFloat64.tensorOf(shape, DataBuffers.of(doubles, true, false).narrow(total));
      }
      case INT64 -> {
        longs = ensure(longs, total);
        for (int row = from, k = 0; row < to; row++) {
          FeatureValues values = batch.example(row).slot(slot);
          for (int j = 0; j < per; j++) {
            longs[k++] = values.int64At(j);
          }
        }
        return TInt64.tensorOf(shape, DataBuffers.of(longs, true, false).narrow(total));
      }
      case INT32 -> {
        ints = ensure(ints, total);
        for (int row = from, k = 0; row < to; row++) {
          FeatureValues values = batch.example(row).slot(slot);
          for (int j = 0; j < per; j++) {
            ints[k++] = (int) values.int64At(j); // in range: checked by problemWith
          }
        }
        return TInt32.tensorOf(shape, DataBuffers.of(ints, true, false).narrow(total));
      }
      case STRING -> {
        byte[][] strings = new byte[total][];
        for (int row = from, k = 0; row < to; row++) {
          FeatureValues values = batch.example(row).slot(slot);
          for (int j = 0; j < per; j++) {
            strings[k++] = values.bytesAt(j);
          }
        }
        return TString.tensorOfBytes(shape, DataBuffers.ofObjects(strings));
      }
      default ->
          throw new IllegalStateException(
              "input '" + input.key() + "' of " + model + " has type " + input.dtypeName());
    }
  }

  private static float[] ensure(float[] array, int size) {
    return array.length >= size ? array : new float[size];
  }

  private static double[] ensure(double[] array, int size) {
    return array.length >= size ? array : new double[size];
  }

  private static long[] ensure(long[] array, int size) {
    return array.length >= size ? array : new long[size];
  }

  private static int[] ensure(int[] array, int size) {
    return array.length >= size ? array : new int[size];
  }

  /** Releases this runner's hold on the shared model. */
  @Override
  public void close() {
    lease.close();
  }
}
