package io.fairbeam.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.fairbeam.proto.tfma.EvalConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * An {@code EvalConfig} as TFMA sees it: Fairbeam's own fields (numbered {@value
 * #FIRST_EXTENSION_FIELD} and up, at any depth) cleared. TFMA's loader parses {@code
 * eval_config.json} strictly and refuses fields it does not know, so Fairbeam writes this view
 * there and records its own settings in {@code fairbeam_run.json}.
 */
@Internal
public final class TfmaConfigView {
  /** Fairbeam's additions to TFMA's messages are numbered from here. */
  public static final int FIRST_EXTENSION_FIELD = 1000;

  private TfmaConfigView() {}

  /** {@code config} without Fairbeam's fields. */
  public static EvalConfig of(EvalConfig config) {
    return (EvalConfig) strip(config);
  }

  private static Message strip(Message message) {
    Message.Builder builder = null;
    for (FieldDescriptor field : new ArrayList<>(message.getAllFields().keySet())) {
      if (builder == null) {
        builder = message.toBuilder();
      }
      if (field.getNumber() >= FIRST_EXTENSION_FIELD) {
        builder.clearField(field);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (field.isRepeated()) {
          List<?> values = (List<?>) message.getField(field);
          builder.clearField(field);
          for (Object value : values) {
            builder.addRepeatedField(field, strip((Message) value));
          }
        } else {
          builder.setField(field, strip((Message) message.getField(field)));
        }
      }
    }
    return builder == null ? message : builder.build();
  }
}
