package io.fairbeam.predict;

import io.fairbeam.predict.ModelSignature.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.annotations.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Loads TensorFlow SavedModels once per JVM and shares them: every DoFn instance and thread of a
 * worker that evaluates the same model directory gets the same loaded model (TensorFlow sessions
 * are safe to run from several threads), and the model is closed when the last user releases it.
 * This is what keeps a worker from loading a model per bundle or per DoFn instance and from leaking
 * accelerator memory.
 *
 * <p>Models are loaded with the {@code serve} tag and with GPU memory that grows on demand rather
 * than being taken whole at start-up.
 */
@Internal
public final class SavedModels {
  private static final Logger LOG = LoggerFactory.getLogger(SavedModels.class);

  /** The tag of the graph that Keras and Estimator exports serve from. */
  public static final String SERVE_TAG = "serve";

  private static final Map<String, Entry> LOADED = new HashMap<>();

  private static final class Entry {
    final SavedModelBundle bundle;
    int users;

    Entry(SavedModelBundle bundle) {
      this.bundle = bundle;
    }
  }

  private SavedModels() {}

  /** A user's hold on a shared loaded model; {@link #close} releases it. */
  public static final class Lease implements AutoCloseable {
    private final String key;
    private final SavedModelBundle bundle;
    private boolean closed;

    private Lease(String key, SavedModelBundle bundle) {
      this.key = key;
      this.bundle = bundle;
    }

    public SavedModelBundle bundle() {
      if (closed) {
        throw new IllegalStateException("model " + key + " was released");
      }
      return bundle;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      release(key);
    }
  }

  /**
   * The loaded model in {@code directory}, loading it if no one in this JVM holds it yet.
   *
   * @throws ModelException if the directory is missing or TensorFlow cannot load it (for example,
   *     an op this TensorFlow does not have: its message names the op)
   */
  public static Lease acquire(String directory) throws ModelException {
    String key = Path.of(directory).toAbsolutePath().normalize().toString();
    synchronized (LOADED) {
      Entry entry = LOADED.get(key);
      if (entry == null) {
        entry = new Entry(load(key));
        LOADED.put(key, entry);
      }
      entry.users++;
      return new Lease(key, entry.bundle);
    }
  }

  private static void release(String key) {
    synchronized (LOADED) {
      Entry entry = LOADED.get(key);
      if (entry != null && --entry.users == 0) {
        LOADED.remove(key);
        entry.bundle.close();
        LOG.info("Closed model {}", key);
      }
    }
  }

  /** How many distinct models this JVM holds loaded now (for tests and logs). */
  public static int loadedCount() {
    synchronized (LOADED) {
      return LOADED.size();
    }
  }

  private static SavedModelBundle load(String directory) throws ModelException {
    Path path = Path.of(directory);
    if (!Files.isDirectory(path)) {
      throw new ModelException("model directory " + directory + " does not exist");
    }
    if (!Files.isRegularFile(path.resolve("saved_model.pb"))
        && !Files.isRegularFile(path.resolve("saved_model.pbtxt"))) {
      throw new ModelException(
          "model directory " + directory + " holds no SavedModel (no saved_model.pb)");
    }
    ConfigProto config =
        ConfigProto.newBuilder()
            .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
            .build();
    long start = System.nanoTime();
    try {
      SavedModelBundle bundle =
          SavedModelBundle.loader(directory).withTags(SERVE_TAG).withConfigProto(config).load();
      try {
        checkOpsAreKnown(bundle, directory);
      } catch (ModelException e) {
        bundle.close();
        throw e;
      }
      LOG.info("Loaded model {} in {} ms", directory, (System.nanoTime() - start) / 1_000_000);
      return bundle;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ModelException(
          "cannot load the SavedModel in " + directory + ": " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Fails, naming them, when the model's graph or functions use ops this TensorFlow does not have.
   * TensorFlow itself only notices an unknown op inside a function when it first runs it, after
   * data has been read.
   */
  private static void checkOpsAreKnown(SavedModelBundle bundle, String directory)
      throws ModelException {
    Set<String> known = new HashSet<>();
    for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
      known.add(op.getName());
    }
    GraphDef graph = bundle.metaGraphDef().getGraphDef();
    for (FunctionDef function : graph.getLibrary().getFunctionList()) {
      known.add(function.getSignature().getName());
    }
    Set<String> unknown = new TreeSet<>();
    for (NodeDef node : graph.getNodeList()) {
      if (!known.contains(node.getOp())) {
        unknown.add(node.getOp());
      }
    }
    for (FunctionDef function : graph.getLibrary().getFunctionList()) {
      for (NodeDef node : function.getNodeDefList()) {
        if (!known.contains(node.getOp())) {
          unknown.add(node.getOp());
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new ModelException(
          "the SavedModel in "
              + directory
              + " uses ops that this"
              + " TensorFlow ("
              + TensorFlow.version()
              + ") does not have: "
              + unknown
              + "; export it with TensorFlow "
              + TensorFlow.version()
              + " or older");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * Reads the signature {@code signatureName} of the model in {@code directory}.
   *
   * @throws ModelException if the model cannot be loaded or has no such signature (the message
   *     lists the signatures it has)
   */
  public static ModelSignature signature(String directory, String signatureName)
      throws ModelException {
    try (Lease lease = acquire(directory)) {
      Map<String, SignatureDef> signatures = lease.bundle().metaGraphDef().getSignatureDefMap();
      SignatureDef def = signatures.get(signatureName);
      if (def == null) {
        throw new ModelException(
            "model "
                + directory
                + " has no signature '"
                + signatureName
                + "'; it has "
                + new TreeMap<>(signatures).keySet());
      }
      return new ModelSignature(
          signatureName, tensors(def.getInputsMap()), tensors(def.getOutputsMap()));
    }
  }

  private static Map<String, ModelSignature.Tensor> tensors(Map<String, TensorInfo> infos) {
    Map<String, ModelSignature.Tensor> result = new LinkedHashMap<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(infos).entrySet()) {
      TensorInfo info = e.getValue();
      TensorShapeProto shape = info.getTensorShape();
      long[] dims = new long[shape.getUnknownRank() ? 0 : shape.getDimCount()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.getDim(i).getSize();
      }
      result.put(
          e.getKey(),
          new ModelSignature.Tensor(
              e.getKey(),
              info.getName(),
              dtypeOf(info.getDtype()),
              dtypeName(info.getDtype()),
              dims));
    }
    return result;
  }

  private static DType dtypeOf(DataType type) {
    return switch (type) {
      case DT_FLOAT -> DType.FLOAT;
      case DT_DOUBLE -> DType.DOUBLE;
      case DT_INT32 -> DType.INT32;
      case DT_INT64 -> DType.INT64;
      case DT_STRING -> DType.STRING;
      default -> DType.OTHER;
    };
  }

  private static String dtypeName(DataType type) {
    String name = type.name();
    return name.startsWith("DT_") ? name.substring(3).toLowerCase(java.util.Locale.ROOT) : name;
  }
}
