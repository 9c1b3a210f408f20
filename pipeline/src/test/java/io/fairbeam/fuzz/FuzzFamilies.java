package io.fairbeam.fuzz;

import io.fairbeam.fuzz.FuzzCase.Expect;
import io.fairbeam.fuzz.FuzzData.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The generators of fuzz cases, one per family of damage or misuse. Each writes its files into the
 * case directory and says, from what it did, what a correct run must end in: which records a
 * damaged file still holds, which record an error must name, which are skipped.
 */
final class FuzzFamilies {
  /** The families in report order; {@code kill} runs separately, in child processes. */
  static final List<String> NAMES =
      List.of("tfrecord", "gzip", "csv", "avro", "config", "cli", "output", "multiclass");

  private static final int ROWS = 40;

  private FuzzFamilies() {}

  /** The generator of {@code family}. */
  static BiFunction<SplittableRandom, Path, FuzzCase> generator(String family) {
    return switch (family) {
      case "tfrecord" -> FuzzFamilies::tfrecord;
      case "gzip" -> FuzzFamilies::gzip;
      case "csv" -> FuzzFamilies::csv;
      case "avro" -> FuzzFamilies::avro;
      case "config" -> FuzzFamilies::config;
      case "cli" -> FuzzFamilies::cli;
      case "output" -> FuzzFamilies::output;
      case "multiclass" -> FuzzFamilies::multiclass;
      default -> throw new IllegalArgumentException("unknown fuzz family " + family);
    };
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> evaluate(Path dir, String data, String policy, String... more) {
    write(dir.resolve("config.pbtxt"), FuzzData.CONFIG);
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                dir.resolve("config.pbtxt").toString(),
                "--data",
                dir.resolve(data).toString(),
                "--output",
                dir.resolve("result").toString(),
                "--bad-records=" + policy));
    args.addAll(Arrays.asList(more));
    return args;
  }

  private static String policy(SplittableRandom r) {
    return r.nextBoolean() ? "fail" : "skip";
  }

  private static List<Row> without(List<Row> rows, int index) {
    List<Row> rest = new ArrayList<>(rows);
    rest.remove(index);
    return rest;
  }

  /** Byte ranges of a TFRecord file: where each record's frame starts. */
  private static int[] frameStarts(List<byte[]> records) {
    int[] starts = new int[records.size() + 1];
    for (int i = 0; i < records.size(); i++) {
      starts[i + 1] = starts[i] + 16 + records.get(i).length;
    }
    return starts;
  }

  private static int recordAt(int[] starts, int offset) {
    int k = 0;
    while (starts[k + 1] <= offset) {
      k++;
    }
    return k;
  }

  // ---- TFRecord: framing and payload -------------------------------------------------------

  private static FuzzCase tfrecord(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    List<byte[]> records = FuzzData.serialized(rows);
    int[] starts = frameStarts(records);
    String policy = policy(r);
    String name = "data.tfrecord";
    String file = dir.resolve(name).toString();
    int k = r.nextInt(rows.size());
    byte[] bytes = FuzzData.tfrecord(records);
    int mutation = r.nextInt(10);
    // Half the cases read the file in ranges of at least one byte by three readers, so the damage
    // lies in any range or across a cut; a range after the first names a record by its offset,
    // and which of several damaged records is reported first depends on which reader gets there
    // first.
    boolean inRanges = r.nextBoolean();
    String[] ranges =
        inRanges ? new String[] {"--readGroups=3", "--minRangeBytes=1"} : new String[0];
    switch (mutation) {
      case 0 -> {
        write(dir.resolve(name), bytes);
        return new FuzzCase(
            "tfrecord",
            "valid",
            evaluate(dir, name, policy, ranges),
            Expect.result(rows.size(), rows));
      }
      case 1, 2 -> {
        // Bytes flipped anywhere: a hit header is fatal, a hit payload or checksum is one bad
        // record, named under fail and skipped under skip.
        int flips = 1 + r.nextInt(3);
        int firstHeaderHit = Integer.MAX_VALUE;
        int firstHit = Integer.MAX_VALUE;
        boolean[] hit = new boolean[rows.size()];
        for (int i = 0; i < flips; i++) {
          int at = r.nextInt(bytes.length);
          bytes[at] ^= (byte) (1 + r.nextInt(255));
          int record = recordAt(starts, at);
          hit[record] = true;
          firstHit = Math.min(firstHit, record);
          if (at - starts[record] < 12) {
            firstHeaderHit = Math.min(firstHeaderHit, record);
          }
        }
        write(dir.resolve(name), bytes);
        String kind = "flip " + flips + " bytes";
        if (policy.equals("fail")) {
          return new FuzzCase(
              "tfrecord",
              kind,
              evaluate(dir, name, policy, ranges),
              Expect.error(
                  inRanges
                      ? file
                      : file + ": record " + firstHit + " (byte offset " + starts[firstHit] + ")"));
        }
        if (firstHeaderHit != Integer.MAX_VALUE) {
          return new FuzzCase(
              "tfrecord",
              kind + " (a header)",
              evaluate(dir, name, policy, ranges),
              Expect.error(
                  inRanges
                      ? file
                      : file
                          + ": record "
                          + firstHeaderHit
                          + " (byte offset "
                          + starts[firstHeaderHit]
                          + ")"));
        }
        List<Row> intact = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          if (!hit[i]) {
            intact.add(rows.get(i));
          }
        }
        return new FuzzCase(
            "tfrecord",
            kind + " (payloads)",
            evaluate(dir, name, policy, ranges),
            Expect.result(rows.size(), intact));
      }
      case 3 -> {
        int cut = starts[k] + 1 + r.nextInt(starts[k + 1] - starts[k] - 1);
        write(dir.resolve(name), Arrays.copyOf(bytes, cut));
        return new FuzzCase(
            "tfrecord",
            "truncated inside record",
            evaluate(dir, name, policy, ranges),
            Expect.error(
                inRanges
                    ? "byte offset " + starts[k]
                    : file + ": record " + k + " (byte offset " + starts[k] + "): truncated"));
      }
      case 4 -> {
        // The one damage the format cannot show: a cut exactly between records.
        write(dir.resolve(name), Arrays.copyOf(bytes, starts[k + 1]));
        return new FuzzCase(
            "tfrecord",
            "truncated at a record boundary",
            evaluate(dir, name, policy, ranges),
            Expect.result(k + 1, rows.subList(0, k + 1)));
      }
      case 5 -> {
        // A valid header claiming more than the limit (up to 2^63 bytes).
        long length = (256L << 20) + 1 + (r.nextLong() >>> 2);
        System.arraycopy(FuzzData.recordHeader(length), 0, bytes, starts[k], 12);
        write(dir.resolve(name), bytes);
        return new FuzzCase(
            "tfrecord",
            "huge record length",
            evaluate(dir, name, policy, ranges),
            Expect.error(
                inRanges
                    ? "byte offset " + starts[k]
                    : file + ": record " + k + " (byte offset " + starts[k] + "): record of "));
      }
      case 6, 7 -> {
        // Framing intact, payload garbage: random bytes, or groups nested 100,000 deep.
        List<byte[]> damaged = new ArrayList<>(records);
        byte[] payload;
        if (mutation == 6) {
          payload = new byte[r.nextInt(64)];
          r.nextBytes(payload);
        } else {
          payload = new byte[200_000];
          Arrays.fill(payload, 0, 100_000, (byte) (15 << 3 | 3));
          Arrays.fill(payload, 100_000, 200_000, (byte) (15 << 3 | 4));
        }
        damaged.set(k, payload);
        write(dir.resolve(name), FuzzData.tfrecord(damaged));
        String kind = mutation == 6 ? "garbage payload" : "deeply nested payload";
        return policy.equals("fail")
            // Random bytes are now and then a valid protobuf that lacks the label.
            ? new FuzzCase(
                "tfrecord",
                kind,
                evaluate(dir, name, policy, ranges),
                Expect.error(inRanges ? file : file + ": record " + k + ": "))
            : new FuzzCase(
                "tfrecord",
                kind,
                evaluate(dir, name, policy, ranges),
                Expect.result(rows.size(), without(rows, k)));
      }
      case 8 -> {
        write(dir.resolve(name), new byte[0]);
        return new FuzzCase(
            "tfrecord",
            "empty file",
            evaluate(dir, name, policy, ranges),
            Expect.error("input is empty"));
      }
      default -> {
        return semantic(r, dir, rows, k, policy);
      }
    }
  }

  /** A well-formed record whose label, score or weight is unusable (or unusual but valid). */
  private static FuzzCase semantic(
      SplittableRandom r, Path dir, List<Row> rows, int k, String policy) {
    String name = "data.tfrecord";
    List<byte[]> records = FuzzData.serialized(rows);
    io.fairbeam.proto.tf.Example.Builder example = FuzzData.example(rows.get(k)).toBuilder();
    var features = example.getFeaturesBuilder();
    String[] kinds = {
      "label missing",
      "label text",
      "label NaN",
      "label 2",
      "score NaN",
      "score text",
      "score two values",
      "weight infinite",
      "weight negative",
      "weight NaN",
      "score +inf",
      "score -inf",
      "weight zero"
    };
    int kind = r.nextInt(kinds.length);
    Row valid = null;
    switch (kind) {
      case 0 -> features.removeFeature("label");
      case 1 -> features.putFeature("label", FuzzData.text("yes"));
      case 2 -> features.putFeature("label", FuzzData.floats(Float.NaN));
      case 3 -> features.putFeature("label", FuzzData.ints(2));
      case 4 -> features.putFeature("score", FuzzData.floats(Float.NaN));
      case 5 -> features.putFeature("score", FuzzData.text("0.5"));
      case 6 ->
          features.putFeature(
              "score",
              io.fairbeam.proto.tf.Feature.newBuilder()
                  .setFloatList(
                      io.fairbeam.proto.tf.FloatList.newBuilder().addValue(0.1f).addValue(0.9f))
                  .build());
      case 7 -> features.putFeature("weight", FuzzData.floats(Float.POSITIVE_INFINITY));
      case 8 -> features.putFeature("weight", FuzzData.floats(-1f));
      case 9 -> features.putFeature("weight", FuzzData.floats(Float.NaN));
      case 10 ->
          valid =
              new Row(
                  rows.get(k).label(),
                  Float.POSITIVE_INFINITY,
                  rows.get(k).weight(),
                  rows.get(k).group());
      case 11 ->
          valid =
              new Row(
                  rows.get(k).label(),
                  Float.NEGATIVE_INFINITY,
                  rows.get(k).weight(),
                  rows.get(k).group());
      default -> valid = new Row(rows.get(k).label(), rows.get(k).score(), 0f, rows.get(k).group());
    }
    List<String> args = evaluate(dir, name, policy);
    if (valid != null) {
      List<Row> evaluated = new ArrayList<>(rows);
      evaluated.set(k, valid);
      records.set(k, FuzzData.example(valid).toByteArray());
      write(dir.resolve(name), FuzzData.tfrecord(records));
      return new FuzzCase("tfrecord", kinds[kind], args, Expect.result(rows.size(), evaluated));
    }
    records.set(k, example.build().toByteArray());
    write(dir.resolve(name), FuzzData.tfrecord(records));
    return policy.equals("fail")
        ? new FuzzCase(
            "tfrecord",
            kinds[kind],
            args,
            Expect.error(dir.resolve(name) + ": record " + k + ": field '"))
        : new FuzzCase("tfrecord", kinds[kind], args, Expect.result(rows.size(), without(rows, k)));
  }

  // ---- GZIP ---------------------------------------------------------------------------------

  private static FuzzCase gzip(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    List<byte[]> records = FuzzData.serialized(rows);
    String name = "data.tfrecord.gz";
    String file = dir.resolve(name).toString();
    String policy = policy(r);
    // Two or three members, split at record boundaries (as `cat a.gz b.gz` makes them).
    int split = 1 + r.nextInt(rows.size() - 1);
    byte[] first = FuzzData.gzip(FuzzData.tfrecord(records.subList(0, split)));
    byte[] second = FuzzData.gzip(FuzzData.tfrecord(records.subList(split, records.size())));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.writeBytes(first);
    int mutation = r.nextInt(5);
    switch (mutation) {
      case 0 -> {
        joined.writeBytes(second);
        write(dir.resolve(name), joined.toByteArray());
        return new FuzzCase(
            "gzip", "two members", evaluate(dir, name, policy), Expect.result(rows.size(), rows));
      }
      case 1 -> {
        second[3] = (byte) 0xE0; // reserved flags: not a member header
        joined.writeBytes(second);
        write(dir.resolve(name), joined.toByteArray());
        return new FuzzCase(
            "gzip",
            "damaged second member header",
            evaluate(dir, name, policy),
            Expect.error(file + ": record "));
      }
      case 2 -> {
        joined.writeBytes(second);
        byte[] garbage = new byte[1 + r.nextInt(40)];
        r.nextBytes(garbage);
        garbage[0] = garbage[0] == 0x1f ? 0 : garbage[0];
        joined.writeBytes(garbage);
        write(dir.resolve(name), joined.toByteArray());
        return new FuzzCase(
            "gzip",
            "trailing garbage",
            evaluate(dir, name, policy),
            Expect.error(file + ": record "));
      }
      case 3 -> {
        joined.writeBytes(second);
        byte[] all = joined.toByteArray();
        int cut = r.nextInt(all.length - 1) + 1;
        boolean atMemberEnd = cut == first.length;
        write(dir.resolve(name), Arrays.copyOf(all, cut));
        return atMemberEnd
            ? new FuzzCase(
                "gzip",
                "truncated at a member end",
                evaluate(dir, name, policy),
                Expect.result(split, rows.subList(0, split)))
            : new FuzzCase(
                "gzip", "truncated", evaluate(dir, name, policy), Expect.error(file + ": record "));
      }
      default -> {
        joined.writeBytes(second);
        byte[] all = joined.toByteArray();
        int at = 10 + r.nextInt(all.length - 10);
        all[at] ^= (byte) (1 + r.nextInt(255));
        write(dir.resolve(name), all);
        // Most flips break inflation or a CRC-32; a few (unused bits) change nothing: either
        // way, a result must hold every record, unchanged.
        return new FuzzCase(
            "gzip",
            "byte flipped",
            evaluate(dir, name, policy),
            Expect.either((long) rows.size(), rows));
      }
    }
  }

  // ---- CSV ----------------------------------------------------------------------------------

  private static FuzzCase csv(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    List<String> lines = new ArrayList<>(FuzzData.csvLines(rows));
    String name = "data.csv";
    String file = dir.resolve(name).toString();
    String policy = policy(r);
    int k = r.nextInt(rows.size());
    int line = k + 1;
    String kind;
    Expect expect;
    int mutation = r.nextInt(12);
    // Half the cases read the file in ranges of at least one byte by three readers (and type it in
    // ranges too): a range after the first names a row by its byte offset and counts lines from
    // its start, and which of several problems is reported first depends on the readers.
    boolean inRanges = r.nextBoolean();
    String[] ranges =
        inRanges ? new String[] {"--readGroups=3", "--minRangeBytes=1"} : new String[0];
    String separator = "\n";
    String prefix = "";
    switch (mutation) {
      case 0 -> {
        kind = "valid";
        expect = Expect.result(rows.size(), rows);
      }
      case 1 -> {
        kind = "byte-order mark, CRLF, blank lines";
        prefix = "\uFEFF";
        separator = "\r\n";
        lines.add(1 + r.nextInt(lines.size() - 1), "");
        lines.add("");
        expect = Expect.result(rows.size(), rows);
      }
      case 2 -> {
        kind = "duplicate header name";
        lines.set(0, "label,score,weight,score");
        expect = Expect.error("column 'score' twice");
      }
      case 3 -> {
        kind = "blank header name";
        lines.set(0, "label,score, ,group");
        expect = Expect.error("column 3 of 4 has no name");
      }
      case 4 -> {
        kind = "unterminated quote";
        line = lines.size() - 1;
        lines.set(line, "\"" + lines.get(line));
        // The quote opens a field that never closes, or that a quoted group value closes.
        expect =
            Expect.error(
                inRanges ? "a quoted field " : file + ": line " + (line + 1) + ": a quoted field ");
      }
      case 5, 6 -> {
        String[] cells = lines.get(line).split(",", 4);
        int column = r.nextInt(3);
        String[] bad = {"abc", "", "Infinity", "1e400", "-1", "NaN", "0x10"};
        String value = bad[r.nextInt(bad.length)];
        if (column < 2
            && (value.equals("-1") || value.equals("1e400") || value.equals("Infinity"))) {
          value = column == 0 ? "-1" : "NaN";
        }
        cells[column] = value;
        lines.set(line, String.join(",", cells));
        kind = new String[] {"label", "score", "weight"}[column] + " cell \"" + value + "\"";
        expect =
            policy.equals("fail")
                ? Expect.error(inRanges ? ": field '" : file + ": record " + k + ": field '")
                : Expect.result(rows.size(), without(rows, k));
      }
      case 7 -> {
        kind = r.nextBoolean() ? "extra cell" : "missing cell";
        lines.set(
            line,
            kind.equals("extra cell")
                ? lines.get(line) + ",x"
                : lines.get(line).substring(lines.get(line).indexOf(',') + 1));
        expect =
            policy.equals("fail")
                ? Expect.error(
                    inRanges ? "CSV row has" : file + ": record " + k + ": line " + (line + 1))
                : Expect.result(rows.size(), without(rows, k));
      }
      case 8 -> {
        kind = "header only";
        lines = lines.subList(0, 1);
        expect = Expect.error("the input is empty");
      }
      case 9 -> {
        kind = "empty file";
        lines = List.of();
        separator = "";
        expect = Expect.error("empty CSV file");
      }
      default -> {
        // Random characters inserted, replaced or deleted anywhere: anything may follow, but a
        // result must still account for every row it read.
        StringBuilder text = new StringBuilder(String.join("\n", lines));
        int edits = 1 + r.nextInt(4);
        String alphabet = ",\"\n\r x0.5-";
        for (int i = 0; i < edits && text.length() > 0; i++) {
          int at = r.nextInt(text.length());
          switch (r.nextInt(3)) {
            case 0 -> text.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
            case 1 -> text.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            default -> text.deleteCharAt(at);
          }
        }
        write(dir.resolve(name), text.toString());
        return new FuzzCase(
            "csv", "random edits", evaluate(dir, name, policy, ranges), Expect.either(null, null));
      }
    }
    String text = lines.isEmpty() ? "" : prefix + String.join(separator, lines) + separator;
    write(dir.resolve(name), text);
    return new FuzzCase("csv", kind, evaluate(dir, name, policy, ranges), expect);
  }

  // ---- Avro ---------------------------------------------------------------------------------

  private static FuzzCase avro(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    List<Integer> ends = new ArrayList<>();
    int perBlock = 1 + r.nextInt(12);
    byte[] bytes = FuzzData.avro(rows, perBlock, ends);
    String name = "data.avro";
    String file = dir.resolve(name).toString();
    String policy = policy(r);
    int blocks = ends.size() - 1;
    int b = r.nextInt(blocks);
    // Half the cases read the file in ranges of at least one byte by three readers: a range after
    // the first names a block by its byte offset alone.
    boolean inRanges = r.nextBoolean();
    String[] ranges =
        inRanges ? new String[] {"--readGroups=3", "--minRangeBytes=1"} : new String[0];
    String damagedBlock = inRanges ? "byte offset " + ends.get(b) : file + ": block " + b + " ";
    switch (r.nextInt(6)) {
      case 0 -> {
        write(dir.resolve(name), bytes);
        return new FuzzCase(
            "avro", "valid", evaluate(dir, name, policy, ranges), Expect.result(rows.size(), rows));
      }
      case 1 -> {
        int cut = ends.get(b) + 1 + r.nextInt(ends.get(b + 1) - ends.get(b) - 1);
        write(dir.resolve(name), Arrays.copyOf(bytes, cut));
        return new FuzzCase(
            "avro",
            "truncated inside a block",
            evaluate(dir, name, policy, ranges),
            Expect.error(damagedBlock));
      }
      case 2 -> {
        int n = Math.min(rows.size(), b * perBlock);
        write(dir.resolve(name), Arrays.copyOf(bytes, ends.get(b)));
        return b == 0
            ? new FuzzCase(
                "avro",
                "header only",
                evaluate(dir, name, policy, ranges),
                Expect.error("the input is empty"))
            : new FuzzCase(
                "avro",
                "truncated at a block end",
                evaluate(dir, name, policy, ranges),
                Expect.result(n, rows.subList(0, n)));
      }
      case 3 -> {
        bytes[ends.get(b + 1) - 1 - r.nextInt(16)] ^= (byte) (1 + r.nextInt(255));
        write(dir.resolve(name), bytes);
        return new FuzzCase(
            "avro",
            "damaged sync marker",
            evaluate(dir, name, policy, ranges),
            Expect.error(damagedBlock));
      }
      case 4 -> {
        int cut = 1 + r.nextInt(ends.get(0) - 1);
        write(dir.resolve(name), Arrays.copyOf(bytes, cut));
        return new FuzzCase(
            "avro",
            "truncated header",
            evaluate(dir, name, policy, ranges),
            Expect.error(file + ": "));
      }
      default -> {
        // Avro blocks carry no checksum: a flipped data byte may change a value unseen. A
        // result must still account for every record.
        int at = r.nextInt(bytes.length);
        bytes[at] ^= (byte) (1 + r.nextInt(255));
        write(dir.resolve(name), bytes);
        return new FuzzCase(
            "avro", "byte flipped", evaluate(dir, name, policy, ranges), Expect.either(null, null));
      }
    }
  }

  // ---- Configs, text and JSON ---------------------------------------------------------------

  private static final String[][] CONFIG_EDITS = {
    {"thresholds\\\": \\[0.5\\]", "thresholds\\\": [1.5]", "outside [0, 1]"},
    {"thresholds\\\": \\[0.5\\]", "thresholds\\\": [-0.5]", "outside [0, 1]"},
    {"thresholds\\\": \\[0.5\\]", "thresholds\\\": \\\"x\\\"", "must be a number"},
    {"slicing_specs \\{\\}", "options { min_slice_size { value: -5 } }", "min_slice_size"},
    {"'ExampleCount' \\}", "'AUC' config: '{\\\"num_thresholds\\\": 2e9}' }", "between 2"},
    {"'ExampleCount'", "'ExampleCont'", "ExampleCont"},
    {"label_key", "labl_key", "labl_key"},
    {"\\['group'\\]", "['groupp']", null},
    {"\\}\\n$", "\n", "config.pbtxt"},
    {"prediction_key: 'score'", "prediction_key: 'scor'", "'scor'"},
    {
      "'ExampleCount' \\}",
      "'RecallAtPrecision' config: '{\\\"precision\\\": 1.5}' }",
      "must be in [0, 1]"
    },
    {"'ExampleCount' \\}", "'ThresholdAtRecall' }", "needs the argument \"recall\""},
    {
      "'ExampleCount' \\}",
      "'ExampleCount' } metrics { class_name: 'Mean'"
          + " config: '{\\\"feature_key_path\\\": [\\\"features\\\", \\\"nope\\\"]}' }",
      "Mean's feature_key_path"
    },
    // A metric configured twice the same way (TFMA's default specs repeat counts) counts once.
    {"'ExampleCount' \\}", "'ExampleCount' } metrics { class_name: 'ExampleCount' }", null},
    {
      "'ExampleCount' \\}",
      "'ExampleCount' } metrics { class_name: 'CalibrationPlot'"
          + " config: '{\\\"left\\\": null, \\\"right\\\": null}' }",
      null
    },
    {
      "'ExampleCount' \\}",
      "'BinaryCrossEntropy' config: '{\\\"label_smoothing\\\": 2}' }",
      "label_smoothing"
    },
    {"'ExampleCount' \\}", "'Hinge' module: 'my.metrics' }", "is Python code"},
    {"metrics_specs \\{", "metrics_specs { binarize { class_ids { values: [-2] } }", "0 or more"},
    {"metrics_specs \\{", "metrics_specs { binarize { k_list { values: [0] } }", "1 or more"},
    {
      "metrics_specs \\{",
      "metrics_specs { aggregate { micro_average: true top_k_list { values: [0] } }",
      "1 or more"
    },
    {
      "metrics_specs \\{",
      "metrics_specs { aggregate { macro_average: true top_k_list { values: [2] }"
          + " class_weights { key: 0 value: 1 } }",
      "cannot be used with"
    },
    {"metrics_specs \\{", "metrics_specs { output_names: ['x']", "not an output"},
    {
      "label_key: 'label' prediction_key: 'score'",
      "label_keys { key: 'o' value: 'label' } prediction_keys { key: 'o' value: 'score' }",
      "name the outputs"
    },
    {
      "metrics_specs \\{",
      "metrics_specs { binarize { class_ids { values: [0] } }"
          + " metrics { class_name: 'Precision' config: '{\\\"class_id\\\": 1}' }",
      "same part of the sub-key"
    },
    {
      "metrics_specs \\{",
      "metrics_specs { binarize { k_list { values: [1] } }"
          + " metrics { class_name: 'Recall' config: '{\\\"top_k\\\": 2}' }",
      "a k sub-key takes no"
    },
    {
      "slicing_specs \\{\\}",
      "slicing_specs {} fairness_constraints { constraint: '(FPR@0.5 | [A]) <= 0.9' delta: 0.1"
          + " groups { key: 'A' value { feature_values { key: 'group' value: 'a' } } }"
          + " output_name: 'o' }",
      "has one output"
    },
    {
      "'weight' \\}",
      "'weight' } metrics_specs { output_names: [''] output_weights { key: '' value: 1 }"
          + " aggregate { micro_average: true } metrics { class_name: 'Precision' } }",
      "TFMA 0.52 fails on it"
    },
    // One score per example where binarize needs two per class: every record names the field.
    {"metrics_specs \\{", "metrics_specs { binarize { class_ids { values: [1] } }", "at least 2"},
    {"metrics_specs \\{", "metrics_specs { binarize { top_k_list { values: [2] } }", "at least 2"},
    {
      "'ExampleCount' \\}",
      "'ExampleCount' } metrics { class_name: 'MultiClassConfusionMatrixPlot' }",
      "takes one score per example"
    },
    {
      "'ExampleCount' \\}",
      "'ExampleCount' } metrics { class_name: 'RecallAtPrecision' config:"
          + " '{\\\"precision\\\": 0.5}' } metrics { class_name: 'BinaryCrossentropy' }",
      null
    },
  };

  private static FuzzCase config(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    String name = "data.tfrecord";
    write(dir.resolve(name), FuzzData.tfrecord(FuzzData.serialized(rows)));
    List<String> args = evaluate(dir, name, "fail");
    Path config = dir.resolve("config.pbtxt");
    String text = FuzzData.CONFIG;
    boolean json = r.nextInt(4) == 0;
    if (json) {
      config = dir.resolve("eval_config.json");
      text = FuzzData.evalRunJson(text);
      args.set(args.indexOf("--config") + 1, config.toString());
    }
    int mutation = r.nextInt(CONFIG_EDITS.length + 3);
    if (r.nextInt(4) == 0) {
      // One case in four makes an edit that must still run (a result), so that every campaign
      // checks both outcomes whatever the number of edits.
      List<Integer> valid = new ArrayList<>();
      for (int e = 0; e < CONFIG_EDITS.length; e++) {
        if (CONFIG_EDITS[e][2] == null) {
          valid.add(e);
        }
      }
      mutation = valid.get(r.nextInt(valid.size()));
    }
    String kind;
    Expect expect;
    if (mutation < CONFIG_EDITS.length && !json) {
      String[] edit = CONFIG_EDITS[mutation];
      text = text.replaceFirst(edit[0], edit[1]);
      kind = "edit: " + edit[1].strip();
      expect =
          edit[2] == null && edit[1].contains("groupp")
              ? Expect.result(rows.size(), rows).printing("Warning: slicing feature 'groupp'")
              : edit[2] == null
                  ? Expect.result(rows.size(), rows)
                  : edit[1].contains("scor'")
                          || edit[1].contains("labl_key")
                          || "at least 2".equals(edit[2])
                          || "Mean's feature_key_path".equals(edit[2])
                      ? Expect.error(edit[2])
                      : Expect.usage(edit[2]);
    } else {
      // Random characters deleted or inserted: the config may still mean something (a
      // result, which must be complete) or not (an error naming the config file and line).
      StringBuilder edited = new StringBuilder(text);
      String alphabet = "{}[]:'\",#x0.5-\n ";
      int edits = 1 + r.nextInt(3);
      for (int i = 0; i < edits; i++) {
        int at = r.nextInt(edited.length());
        if (r.nextBoolean()) {
          edited.deleteCharAt(at);
        } else {
          edited.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      text = edited.toString();
      kind = (json ? "JSON" : "text") + " random edits";
      expect = Expect.either(null, null);
    }
    write(config, text);
    return new FuzzCase("config", kind, args, expect);
  }

  // ---- Multi-class records ----------------------------------------------------------------

  /**
   * A three-class model binarized for class 1, whose rows are the oracle's binary rows (class 1's
   * score is the row's score, the label class 1 for a positive and 0 or 2 for a negative), with
   * some records given a shape a multi-class model cannot use: one score only, a NaN among the
   * scores, a class id out of range or a text label. Skipped, they are counted and the rest equal
   * the oracle; under the fail policy the run names the field.
   */
  private static FuzzCase multiclass(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    // Labels by class id, or by name with class_names.
    boolean named = r.nextBoolean();
    String[][] damages = {
      {"one score", "needs a score for each of at least 2 classes"},
      {"NaN among the scores", "NaN for class"},
      {
        "class id out of range", named ? "which class_names does not list" : "a class id is a whole"
      },
      {"text label", named ? "which class_names does not list" : "not numeric"},
    };
    List<byte[]> records = new ArrayList<>();
    List<Row> good = new ArrayList<>();
    String mention = null;
    String kind = "valid";
    for (Row row : rows) {
      int label = row.label() == 1 ? 1 : 2 * r.nextInt(2);
      float[] scores = {(float) r.nextDouble(), row.score(), (float) r.nextDouble()};
      int damage = r.nextInt(10) == 0 ? r.nextInt(damages.length) : -1;
      io.fairbeam.proto.tf.FloatList.Builder list = io.fairbeam.proto.tf.FloatList.newBuilder();
      io.fairbeam.proto.tf.Feature labelFeature =
          named ? FuzzData.text("c" + label) : FuzzData.ints(label);
      switch (damage) {
        case 0 -> list.addValue(scores[1]);
        case 1 -> {
          scores[r.nextBoolean() ? 0 : 2] = Float.NaN;
          for (float score : scores) {
            list.addValue(score);
          }
        }
        case 2 -> {
          int id = 3 + r.nextInt(5);
          labelFeature = named ? FuzzData.text("c" + id) : FuzzData.ints(id);
        }
        case 3 -> labelFeature = FuzzData.text("class " + label);
        default -> {}
      }
      if (damage != 1 && damage != 0) {
        for (float score : scores) {
          list.addValue(score);
        }
      }
      if (damage >= 0) {
        kind = damages[damage][0];
        mention = mention == null ? damages[damage][1] : mention;
      } else {
        good.add(row);
      }
      records.add(
          FuzzData.example(row).toBuilder()
              .setFeatures(
                  FuzzData.example(row).getFeatures().toBuilder()
                      .putFeature("label", labelFeature)
                      .putFeature(
                          "score",
                          io.fairbeam.proto.tf.Feature.newBuilder().setFloatList(list).build()))
              .build()
              .toByteArray());
    }
    String name = "data.tfrecord";
    write(dir.resolve(name), FuzzData.tfrecord(records));
    String policy = mention == null ? "fail" : policy(r);
    List<String> args = evaluate(dir, name, policy);
    String config =
        FuzzData.CONFIG.replaceFirst(
            "metrics_specs \\{", "metrics_specs { binarize { class_ids { values: [1] } }");
    if (named) {
      config = config.replaceFirst("example_weight_key", "class_names: ['c0', 'c1', 'c2'] $0");
    }
    write(dir.resolve("config.pbtxt"), config);
    Expect expect =
        mention == null || policy.equals("skip")
            ? Expect.result(rows.size(), good)
            : Expect.error(mention);
    return new FuzzCase(
        "multiclass", kind + (named ? " (named)" : "") + ", " + policy, args, expect);
  }

  // ---- Command lines ------------------------------------------------------------------------

  private static FuzzCase cli(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    String name = "data.tfrecord";
    write(dir.resolve(name), FuzzData.tfrecord(FuzzData.serialized(rows)));
    List<String> args = evaluate(dir, name, "fail");
    int mutation = r.nextInt(14);
    String kind;
    Expect expect;
    switch (mutation) {
      case 12 -> {
        // Spellings a user may choose that all mean the same run.
        kind = "valid variations";
        args.set(args.size() - 1, "--bad-records=SKIP");
        args.set(args.indexOf("--data") + 1, dir.resolve("data.tf*").toString());
        args.add("--format=TFRecord");
        args.add("--targetParallelism=" + (1 + r.nextInt(4)));
        expect = Expect.result(rows.size(), rows);
      }
      case 13 -> {
        kind = "options with =";
        List<String> joined = new ArrayList<>(List.of("evaluate"));
        for (int i = 1; i + 1 < args.size(); i += 2) {
          joined.add(args.get(i) + "=" + args.get(i + 1));
        }
        joined.add(args.get(args.size() - 1));
        args = joined;
        expect = Expect.result(rows.size(), rows);
      }
      case 0 -> {
        int drop = 1 + 2 * r.nextInt(3);
        kind = "missing " + args.get(drop);
        expect = Expect.usage(args.get(drop));
        args.remove(drop + 1);
        args.remove(drop);
      }
      case 1 -> {
        kind = "--format xml";
        args.add("--format=xml");
        expect = Expect.usage("unknown format");
      }
      case 2 -> {
        kind = "--bad-records maybe";
        args.set(args.size() - 1, "--bad-records=maybe");
        expect = Expect.usage("--bad-records");
      }
      case 3 -> {
        String value = new String[] {"0", "-3", "abc", ""}[r.nextInt(4)];
        kind = "--targetParallelism=" + value;
        args.add(kind);
        expect = Expect.usage("targetParallelism");
      }
      case 4 -> {
        kind = "--model missing";
        args.add("--model=" + dir.resolve("no-such-model"));
        expect = Expect.usage("no-such-model");
      }
      case 5 -> {
        kind = "--data matches nothing";
        args.set(args.indexOf("--data") + 1, dir.resolve("nothing-*.tfrecord").toString());
        expect = Expect.error("no file matches");
      }
      case 6 -> {
        kind = "stray argument";
        args.add("stray");
        expect = Expect.usage("stray");
      }
      case 7 -> {
        kind = "unknown pipeline option";
        args.add("--noSuchOption=1");
        expect = Expect.usage("noSuchOption");
      }
      case 8 -> {
        kind = "--config missing file";
        args.set(args.indexOf("--config") + 1, dir.resolve("missing.pbtxt").toString());
        expect = Expect.usage("missing.pbtxt");
      }
      case 9 -> {
        kind = "unreadable input (a directory)";
        write(dir.resolve("dir.tfrecord").resolve("inside"), new byte[1]);
        args.set(args.indexOf("--data") + 1, dir.resolve("dir.tfrecord").toString());
        expect = Expect.error("dir.tfrecord");
      }
      case 10 -> {
        kind = "no subcommand";
        args.set(0, "--verbose");
        expect = Expect.usage("");
      }
      default -> {
        kind = "--runner=NoSuchRunner";
        args.add("--runner=NoSuchRunner");
        expect = Expect.usage("NoSuchRunner");
      }
    }
    return new FuzzCase("cli", kind, args, expect);
  }

  // ---- Outputs: never touch what is not ours ------------------------------------------------

  private static FuzzCase output(SplittableRandom r, Path dir) {
    List<Row> rows = FuzzData.rows(r, ROWS);
    String name = "data.tfrecord";
    write(dir.resolve(name), FuzzData.tfrecord(FuzzData.serialized(rows)));
    List<String> args = evaluate(dir, name, "fail");
    Path result = dir.resolve("result");
    int mutation = r.nextInt(11);
    switch (mutation) {
      case 10 -> {
        // A link to a folder of the user's: replacing the link would not replace the folder,
        // and following it would replace what the link points at.
        write(dir.resolve("elsewhere").resolve("eval_config.json"), "{}");
        try {
          Files.createSymbolicLink(result, dir.resolve("elsewhere"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new FuzzCase(
            "output", "output is a symbolic link", args, Expect.usage("symbolic link"));
      }
      case 0 -> {
        write(result.resolve("notes.txt"), "mine");
        write(result.resolve("eval_config.json"), "{}");
        return new FuzzCase(
            "output", "user folder holding eval_config.json", args, Expect.usage("notes.txt"));
      }
      case 1 -> {
        args.set(args.indexOf("--output") + 1, dir.toString());
        return new FuzzCase(
            "output", "output is the data's folder", args, Expect.usage("contains the input"));
      }
      case 2 -> {
        args.set(args.indexOf("--output") + 1, dir.resolve(name).toString());
        return new FuzzCase(
            "output", "output is the data file", args, Expect.usage("is the input"));
      }
      case 3 -> {
        write(result, "a file");
        return new FuzzCase("output", "output is a file", args, Expect.usage("not a directory"));
      }
      case 4 -> {
        write(result.resolve("eval_config.json"), "{}");
        write(result.resolve("metrics-00000-of-00001.tfrecord"), new byte[0]);
        write(result.resolve("plots-00000-of-00001.tfrecord"), new byte[0]);
        return new FuzzCase(
            "output", "previous TFMA result", args, Expect.result(rows.size(), rows));
      }
      case 5 -> {
        FuzzRunner.runCommand(args);
        return new FuzzCase(
            "output", "previous Fairbeam result", args, Expect.result(rows.size(), rows));
      }
      case 6 -> {
        FuzzRunner.runCommand(args);
        write(result.resolve("my-analysis.ipynb"), "{}");
        return new FuzzCase(
            "output", "previous result plus a user file", args, Expect.usage("my-analysis.ipynb"));
      }
      case 7 -> {
        // A run killed between the two renames of its commit: the previous result is aside
        // under its hidden name, the new one half written.
        FuzzRunner.runCommand(args);
        try {
          Files.move(result, dir.resolve(".result.fairbeam-old-0000"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        write(dir.resolve(".result.fairbeam-tmp-0000").resolve("metrics-x"), "half");
        return new FuzzCase(
            "output", "leftovers of a killed run", args, Expect.result(rows.size(), rows));
      }
      case 8 -> {
        List<String> convert =
            new ArrayList<>(
                List.of(
                    "convert",
                    "--data",
                    dir.resolve("in.csv").toString(),
                    "--output",
                    dir.resolve("in.csv").toString()));
        write(dir.resolve("in.csv"), String.join("\n", FuzzData.csvLines(rows)) + "\n");
        return new FuzzCase(
            "output", "convert onto its input", convert, Expect.usage("is the input"));
      }
      default -> {
        write(dir.resolve("in.csv"), String.join("\n", FuzzData.csvLines(rows)) + "\n");
        write(dir.resolve("out.tfrecord"), "precious");
        boolean overwrite = r.nextBoolean();
        List<String> convert =
            new ArrayList<>(
                List.of(
                    "convert",
                    "--data",
                    dir.resolve("in.csv").toString(),
                    "--output",
                    "out.tfrecord"));
        convert.set(4, dir.resolve("out.tfrecord").toString());
        if (overwrite) {
          convert.add("--overwrite");
          return new FuzzCase(
              "output", "convert --overwrite", convert, Expect.result(rows.size(), rows));
        }
        return new FuzzCase(
            "output", "convert onto an existing file", convert, Expect.usage("--overwrite"));
      }
    }
  }
}
