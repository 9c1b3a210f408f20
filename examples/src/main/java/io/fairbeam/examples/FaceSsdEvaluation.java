package io.fairbeam.examples;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fairbeam.beam.FairnessEval;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.FloatList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * The FaceSSD fairness notebook of TensorFlow's Fairness Indicators, as a Java Beam pipeline that
 * uses Fairbeam as a library: read a TFRecord of face-detector predictions, drop the images whose
 * annotated gender is {@code MISSING}, set the face label to 1.0 (every image holds a face),
 * evaluate Fairness Indicators at 0.1, 0.3, 0.5, 0.7 and 0.9 and the area under the
 * precision-recall curve, overall and by gender, with TFMA's 95% jackknife confidence intervals,
 * and write TFMA's result files.
 *
 * <pre>
 * java -cp ... io.fairbeam.examples.FaceSsdEvaluation --data=lfw_dataset.tfrecord \
 *     --output=out/facessd [--runner=FlinkRunner ...]
 * </pre>
 */
public final class FaceSsdEvaluation {
  /** The annotated gender of the face in the image: {@code Male}, {@code Female} or MISSING. */
  static final String GENDER = "object/groundtruth/Gender";

  /** Whether the image holds a face: the label, set to 1.0 for every image kept. */
  static final String FACE_LABEL = "object/groundtruth/face";

  /** The detector's score that the image holds a face. */
  static final String FACE_SCORE = "object/prediction/face";

  /** The gender value of images whose gender was not annotated. */
  static final String MISSING = "MISSING";

  private FaceSsdEvaluation() {}

  /** The example's options: Beam's, plus where the data is and where the result goes. */
  public interface Options extends PipelineOptions {
    @Description("TFRecord file or glob of tf.Example with the face detector's predictions")
    @Validation.Required
    String getData();

    void setData(String data);

    @Description("Directory for the result, in TFMA's layout")
    @Validation.Required
    String getOutput();

    void setOutput(String output);
  }

  /** The notebook's EvalConfig, {@code facessd.pbtxt} beside this class. */
  static EvalConfigLoader.Loaded config() {
    try (InputStream in = FaceSsdEvaluation.class.getResourceAsStream("facessd.pbtxt")) {
      return EvalConfigLoader.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "facessd.pbtxt");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the pipeline: read, keep the images with a known gender, evaluate, write. */
  public static Pipeline build(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("ReadData", TFRecordIO.read().from(options.getData()))
        .apply("KeepKnownGender", ParDo.of(new KeepKnownGenderFn()))
        .setCoder(ProtoCoder.of(Example.class))
        .apply("Evaluate", FairnessEval.evaluate(config()).onExamples())
        .apply("Write", FairnessEval.write().to(options.getOutput()));
    return pipeline;
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(Options.class);
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * Drops an image whose gender is {@code MISSING} (or absent), and labels the others as holding a
   * face. A record that is not a {@code tf.Example} fails the pipeline, naming its size.
   */
  static final class KeepKnownGenderFn extends DoFn<byte[], Example> {
    private static final long serialVersionUID = 1L;
    private static final ByteString MISSING_BYTES = ByteString.copyFromUtf8(MISSING);

    @ProcessElement
    public void processElement(@Element byte[] record, OutputReceiver<Example> out) {
      Example example;
      try {
        example = Example.parseFrom(record);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(
            "a record of " + record.length + " bytes is not a tf.Example: " + e.getMessage(), e);
      }
      Feature gender = example.getFeatures().getFeatureOrDefault(GENDER, null);
      List<ByteString> values = gender == null ? List.of() : gender.getBytesList().getValueList();
      if (values.isEmpty() || values.get(0).equals(MISSING_BYTES)) {
        return;
      }
      Example.Builder labelled = example.toBuilder();
      labelled
          .getFeaturesBuilder()
          .putFeature(
              FACE_LABEL,
              Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(1.0f)).build());
      out.output(labelled.build());
    }
  }
}
