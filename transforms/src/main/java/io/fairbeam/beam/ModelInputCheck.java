package io.fairbeam.beam;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fairbeam.config.ConfigException;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.ModelPlan;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.predict.ModelSignature;
import io.fairbeam.proto.tf.Example;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Checks, before the pipeline starts, that every model input built from a feature finds that
 * feature in the data: in the CSV header, the Avro schema, or the first TFRecord example. A
 * misnamed input then fails at once with the model, signature, input and feature named, instead of
 * failing every record.
 */
final class ModelInputCheck {
  private ModelInputCheck() {}

  /** Checks the plan's model inputs against the features of {@code file}'s first record. */
  static void againstFirstRecord(EvalPlan plan, MatchResult.Metadata file, RecordFormat format)
      throws ConfigException, IOException {
    if (!plan.hasInference()) {
      return;
    }
    String name = file.resourceId().toString();
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      if (format == RecordFormat.AVRO) {
        try (DataFileStream<GenericRecord> reader =
            new DataFileStream<>(in, new GenericDatumReader<>())) {
          Set<String> fields = new TreeSet<>();
          for (Schema.Field field : reader.getSchema().getFields()) {
            fields.add(field.name());
          }
          against(plan, fields, name + " (Avro schema)");
        }
        return;
      }
      try (TFRecordReader reader = TFRecordReader.open(in, name)) {
        int length = reader.next();
        if (length < 0) {
          return; // an empty file; the run reports empty input
        }
        Example example;
        try {
          example = Example.parseFrom(reader.copy(length));
        } catch (InvalidProtocolBufferException e) {
          return; // the bad-record policy reports it when the pipeline reads it
        }
        against(
            plan,
            new TreeSet<>(example.getFeatures().getFeatureMap().keySet()),
            name + " (first record)");
      }
    }
  }

  /** Checks the plan's model inputs against {@code features}, found in {@code where}. */
  static void against(EvalPlan plan, Set<String> features, String where) throws ConfigException {
    for (ModelPlan model : plan.models()) {
      if (model.inference() == null || model.inference().signature().takesSerializedExamples()) {
        continue;
      }
      ModelSignature signature = model.inference().signature();
      for (ModelSignature.Tensor input : signature.inputs().values()) {
        if (!features.contains(input.key())) {
          throw new ConfigException(
              model.describe()
                  + " ("
                  + model.inference().directory()
                  + ", signature '"
                  + signature.name()
                  + "'): input '"
                  + input.key()
                  + "' ("
                  + input.describe()
                  + ") has no matching feature '"
                  + input.key()
                  + "' in "
                  + where
                  + "; features there: "
                  + new TreeSet<>(features));
        }
      }
    }
  }
}
