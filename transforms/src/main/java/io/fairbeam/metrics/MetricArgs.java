package io.fairbeam.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.util.ExceptionText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keyword arguments of one metric, parsed from a {@code MetricConfig.config} string: JSON of
 * the metric's {@code __init__} arguments, as TFMA reads it (the outer braces may be omitted).
 *
 * <p>Parsing uses protobuf's own JSON parser into a {@link Struct}. Each getter marks its key as
 * known; {@link #checkNoOtherKeys} then rejects any key the metric does not understand, so a
 * misspelt argument fails instead of being ignored.
 */
final class MetricArgs {
  private final String className;
  private final Map<String, Value> fields;
  private final Set<String> accepted = new LinkedHashSet<>();

  private MetricArgs(String className, Map<String, Value> fields) {
    this.className = className;
    this.fields = fields;
  }

  /** Parses {@code json} (possibly empty) as the arguments of metric {@code className}. */
  public static MetricArgs parse(String className, String json) {
    String text = json.trim();
    if (text.isEmpty()) {
      return new MetricArgs(className, Map.of());
    }
    if (!text.startsWith("{")) {
      text = "{" + text + "}";
    }
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(text, struct);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MetricConfigException(
          "malformed JSON in config of "
              + className
              + ": "
              + ExceptionText.describe(e)
              + " (expected a JSON object of arguments, e.g. '{\"thresholds\": [0.5]}')");
    }
    return new MetricArgs(className, struct.getFieldsMap());
  }

  /** A string argument. */
  public Optional<String> string(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (!value.hasStringValue()) {
      throw wrongType(key, "a string");
    }
    return Optional.of(value.getStringValue());
  }

  /** An integer argument. */
  public Optional<Integer> integer(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (!value.hasNumberValue()
        || value.getNumberValue() != Math.rint(value.getNumberValue())
        || Math.abs(value.getNumberValue()) > Integer.MAX_VALUE) {
      throw wrongType(key, "an integer");
    }
    return Optional.of((int) value.getNumberValue());
  }

  /**
   * The most thresholds or buckets a metric may ask for: 100 times TFMA's default of 10,000, so a
   * typo such as 2e9 fails here instead of exhausting the heap.
   */
  public static final int MAX_COUNT = 1_000_000;

  /** An integer argument within {@code [min, max]}. */
  public Optional<Integer> integer(String key, int min, int max) {
    Optional<Integer> value = integer(key);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      throw new MetricConfigException(
          "argument \""
              + key
              + "\" of "
              + className
              + " must be"
              + " between "
              + min
              + " and "
              + max
              + ", got "
              + value.get());
    }
    return value;
  }

  /**
   * Decision thresholds: a number or a list of numbers, each in [0, 1] (a threshold is compared
   * with a probability; TFMA requires the same).
   */
  public Optional<List<Double>> thresholds(String key) {
    Optional<List<Double>> values = numbers(key);
    for (double t : values.orElse(List.of())) {
      if (!(t >= 0.0 && t <= 1.0)) {
        throw new MetricConfigException(
            "threshold "
                + t
                + " in \""
                + key
                + "\" of "
                + className
                + " is outside [0, 1]; thresholds are compared with"
                + " predicted probabilities");
      }
    }
    return values;
  }

  /** A number or a list of numbers, as TFMA's {@code thresholds} argument. */
  public Optional<List<Double>> numbers(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (value.hasNumberValue()) {
      return Optional.of(List.of(value.getNumberValue()));
    }
    if (!value.hasListValue()) {
      throw wrongType(key, "a number or a list of numbers");
    }
    List<Double> result = new ArrayList<>();
    for (Value element : value.getListValue().getValuesList()) {
      if (!element.hasNumberValue()) {
        throw wrongType(key, "a number or a list of numbers");
      }
      result.add(element.getNumberValue());
    }
    return Optional.of(result);
  }

  /** A list of strings, as TFMA's key paths ({@code ["features", "age"]}). */
  public Optional<List<String>> strings(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (!value.hasListValue()) {
      throw wrongType(key, "a list of strings");
    }
    List<String> result = new ArrayList<>();
    for (Value element : value.getListValue().getValuesList()) {
      if (!element.hasStringValue()) {
        throw wrongType(key, "a list of strings");
      }
      result.add(element.getStringValue());
    }
    return Optional.of(result);
  }

  /** Whether argument {@code key} is a single number (rather than absent or a list). */
  public boolean isNumber(String key) {
    Value value = fields.get(key);
    return value != null && value.hasNumberValue();
  }

  /** A number argument. */
  public Optional<Double> number(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (!value.hasNumberValue()) {
      throw wrongType(key, "a number");
    }
    return Optional.of(value.getNumberValue());
  }

  /** A boolean argument. */
  public Optional<Boolean> bool(String key) {
    accepted.add(key);
    Value value = fields.get(key);
    if (value == null || value.hasNullValue()) {
      return Optional.empty();
    }
    if (!value.hasBoolValue()) {
      throw wrongType(key, "true or false");
    }
    return Optional.of(value.getBoolValue());
  }

  /** Fails if the config holds a key that no getter asked for. */
  public void checkNoOtherKeys() {
    Set<String> unknown = new TreeSet<>(fields.keySet());
    unknown.removeAll(accepted);
    if (!unknown.isEmpty()) {
      throw new MetricConfigException(
          "unsupported argument(s) "
              + unknown
              + " in config of "
              + className
              + "; accepted: "
              + (accepted.isEmpty() ? "none" : accepted));
    }
  }

  private MetricConfigException wrongType(String key, String expected) {
    return new MetricConfigException(
        "argument \""
            + key
            + "\" of "
            + className
            + " must be "
            + expected
            + ", got "
            + fields.get(key).getKindCase().name().toLowerCase(java.util.Locale.ROOT));
  }
}
