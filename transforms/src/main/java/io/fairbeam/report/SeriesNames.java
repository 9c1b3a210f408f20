package io.fairbeam.report;

import io.fairbeam.proto.ClassNames;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.SubKey;
import java.util.List;
import java.util.Map;

/**
 * How the report and the terminal name the series a metric belongs to: its model (and output, for a
 * multi-output model), and, for a multi-class model's binarized metrics, the sub-key in TFMA's
 * string form ({@code classId:2}, {@code k:1}, {@code topK:3}) or the aggregation ({@code macro},
 * {@code micro}), so that each class and average is shown as a series of its own. A class the run
 * recorded a name for ({@code class_names}) is shown by name, {@code dark (classId:2)}.
 */
public final class SeriesNames {
  /** Class sub-keys by id alone: for a run that recorded no class names. */
  public static final SeriesNames BY_ID = new SeriesNames(Map.of());

  /** Class names by the model name metric keys carry. */
  private final Map<String, ClassNames> classNames;

  private SeriesNames(Map<String, ClassNames> classNames) {
    this.classNames = classNames;
  }

  /** The names of {@code run}: its recorded class names. */
  public static SeriesNames of(RunSummary run) {
    return new SeriesNames(Map.copyOf(run.getClassNamesMap()));
  }

  /** The series of {@code key}. */
  public String of(MetricKey key) {
    String series = of(key.getModelName(), key.getOutputName(), key.getSubKey());
    if (!key.hasAggregationType()) {
      return series;
    }
    String aggregate =
        key.getAggregationType().getMicroAverage()
            ? "micro"
            : key.getAggregationType().getWeightedMacroAverage() ? "weighted_macro" : "macro";
    return series.isEmpty() ? aggregate : series + " · " + aggregate;
  }

  /** The series of a model's (output's) metrics under {@code subKey}. */
  String of(String model, String output, SubKey subKey) {
    String series = model;
    if (!output.isEmpty()) {
      series = series.isEmpty() ? output : series + " · " + output;
    }
    String sub =
        subKey.hasClassId()
            ? className(model, subKey.getClassId().getValue())
            : subKey.hasK()
                ? "k:" + subKey.getK().getValue()
                : subKey.hasTopK() ? "topK:" + subKey.getTopK().getValue() : "";
    if (sub.isEmpty()) {
      return series;
    }
    return series.isEmpty() ? sub : series + " · " + sub;
  }

  /**
   * How a matrix labels class {@code classId} of {@code model} (the model name metric keys carry):
   * its name, else its id; {@code none} for −1 (no class).
   */
  public String classLabel(String model, int classId) {
    if (classId < 0) {
      return "none";
    }
    String name = recordedName(model, classId);
    return name != null ? name : String.valueOf(classId);
  }

  private String className(String model, int classId) {
    String id = "classId:" + classId;
    String name = recordedName(model, classId);
    return name != null ? name + " (" + id + ")" : id;
  }

  /** The name the run recorded for {@code model}'s class {@code classId}, or null. */
  private String recordedName(String model, int classId) {
    ClassNames names = classNames.get(model);
    List<String> list = names == null ? List.of() : names.getNamesList();
    return classId >= 0 && classId < list.size() ? list.get(classId) : null;
  }
}
