package io.fairbeam.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import io.fairbeam.proto.tfma.EvalConfig;

/**
 * Where a part of an EvalConfig was written, so that errors found after parsing can still name the
 * file and line: {@code "titanic.pbtxt line 7 (metrics_specs[0].metrics[1])"}. Configs read from
 * JSON have no line numbers; the field path alone is given.
 */
public final class ConfigLocations {
  private final String fileName;
  private final TextFormatParseInfoTree tree;

  ConfigLocations(String fileName, TextFormatParseInfoTree tree) {
    this.fileName = fileName;
    this.tree = tree;
  }

  /** Locations for a config built in code, with no file. */
  public static ConfigLocations none() {
    return new ConfigLocations("EvalConfig", null);
  }

  /** The config's file name ({@code EvalConfig} for one built in code). */
  public String fileName() {
    return fileName;
  }

  /**
   * Describes a field path such as {@code metrics_specs[0].metrics[1]} or {@code options}, with the
   * line where it starts when known.
   */
  public String describe(String path) {
    String line = lineOf(path);
    return fileName + (line == null ? "" : " line " + line) + " (" + path + ")";
  }

  private String lineOf(String path) {
    if (tree == null) {
      return null;
    }
    TextFormatParseInfoTree node = tree;
    Descriptor descriptor = EvalConfig.getDescriptor();
    TextFormatParseLocation location = null;
    for (String part : path.split("\\.")) {
      String name = part;
      int index = 0;
      int bracket = part.indexOf('[');
      if (bracket >= 0) {
        name = part.substring(0, bracket);
        index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
      }
      FieldDescriptor field = descriptor.findFieldByName(name);
      if (field == null || node == null) {
        return null;
      }
      try {
        location = node.getLocation(field, index);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (field.getType() == FieldDescriptor.Type.MESSAGE) {
        descriptor = field.getMessageType();
        try {
          node = node.getNestedTree(field, index);
        } catch (IllegalArgumentException e) {
          node = null;
        }
      }
    }
    return location == null ? null : Integer.toString(location.getLine() + 1);
  }
}
