package io.fairbeam.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.EvalRun;
import io.fairbeam.util.ExceptionText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads an EvalConfig as TFMA users write it: protobuf text format ({@code .pbtxt}, {@code
 * .config}, ...), or the {@code eval_config.json} TFMA writes beside its results (an {@code
 * EvalRun} in protobuf JSON, whose {@code evalConfig} is taken). Unknown fields are errors that
 * name the line and list the fields the message accepts.
 */
public final class EvalConfigLoader {
  private static final Pattern UNKNOWN_FIELD =
      Pattern.compile("Message type \"([\\w.]+)\" has no field named \"(\\w+)\"");
  private static final Pattern UNKNOWN_FIELD_LIST =
      Pattern.compile("unknown fields and/or extensions:\\s*\\d+:\\d+:\\s*([\\w.]+)\\.(\\w+)");

  private EvalConfigLoader() {}

  /** A parsed config with the locations of its parts. */
  public record Loaded(EvalConfig config, ConfigLocations locations) {}

  /** Reads {@code path}; JSON when the file starts with '{', text format otherwise. */
  public static Loaded load(Path path) throws ConfigException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + path);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
    return parse(text, path.toString());
  }

  /** Parses config text; {@code fileName} is used in messages. */
  public static Loaded parse(String text, String fileName) throws ConfigException {
    if (text.stripLeading().startsWith("{")) {
      return parseJson(text, fileName);
    }
    EvalConfig.Builder builder = EvalConfig.newBuilder();
    TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
    TextFormat.Parser parser = TextFormat.Parser.newBuilder().setParseInfoTreeBuilder(tree).build();
    try {
      parser.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException(
          fileName
              + " line "
              + e.getLine()
              + " column "
              + e.getColumn()
              + ": "
              + explain(e.getMessage()));
    }
    return new Loaded(builder.build(), new ConfigLocations(fileName, tree.build()));
  }

  private static Loaded parseJson(String text, String fileName) throws ConfigException {
    EvalRun.Builder run = EvalRun.newBuilder();
    try {
      JsonFormat.parser().merge(text, run);
      if (run.hasEvalConfig()) {
        return new Loaded(run.getEvalConfig(), new ConfigLocations(fileName, null));
      }
    } catch (InvalidProtocolBufferException e) {
      // Not an EvalRun; try a bare EvalConfig below and report that error.
    }
    EvalConfig.Builder config = EvalConfig.newBuilder();
    try {
      JsonFormat.parser().merge(text, config);
    } catch (InvalidProtocolBufferException e) {
      String message = ExceptionText.describe(e);
      throw new ConfigException(
          fileName + ": not an EvalRun or EvalConfig in protobuf JSON: " + message);
    }
    return new Loaded(config.build(), new ConfigLocations(fileName, null));
  }

  /** Adds the accepted field names to protobuf's "no field named" message. */
  private static String explain(String message) {
    String text = message.replaceFirst("^\\d+:\\d+: ", "");
    Matcher m = UNKNOWN_FIELD.matcher(text);
    if (!m.find()) {
      m = UNKNOWN_FIELD_LIST.matcher(text);
    }
    if (m.find(0)) {
      Descriptor type = findType(m.group(1));
      if (type != null) {
        String accepted =
            type.getFields().stream()
                .map(FieldDescriptor::getName)
                .collect(Collectors.joining(", "));
        return "unknown field \""
            + m.group(2)
            + "\" in "
            + type.getName()
            + "; accepted fields: "
            + accepted;
      }
    }
    // The parser lists what it could not place on lines of their own ("1:20:\tName").
    return text.replaceAll("\\s*\\R\\s*(\\d+:\\d+:)?\\s*", " ").strip();
  }

  private static Descriptor findType(String fullName) {
    return findIn(EvalConfig.getDescriptor(), fullName, new java.util.HashSet<>());
  }

  private static Descriptor findIn(Descriptor d, String fullName, java.util.Set<String> seen) {
    if (!seen.add(d.getFullName())) {
      return null;
    }
    if (d.getFullName().equals(fullName)) {
      return d;
    }
    for (FieldDescriptor f : d.getFields()) {
      if (f.getType() == FieldDescriptor.Type.MESSAGE) {
        Descriptor found = findIn(f.getMessageType(), fullName, seen);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
