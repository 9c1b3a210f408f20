package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The result does not depend on how slices are sharded: the same records evaluated with 1, 7 and 64
 * slice shards (one shard holds every slice; seven put slices of one spec, and a cross slice's
 * baseline and comparison, in different shards) give the same metrics, plots, cross slices,
 * validation and group disparities, and a shard is the same for a slice on every run.
 */
public class SliceShardsTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  /** The shards of store=3 and of sex=F among 64, worked out once from their keys. */
  private static final int SHARD_OF_STORE_3 = 51;

  private static final int SHARD_OF_SEX_F = 11;

  private static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'AUC' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.3, 0.6]}' }",
          "  thresholds { key: 'auc' value { value_threshold { lower_bound { value: 0.55 } } } }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['store'] }",
          "slicing_specs { feature_keys: ['store', 'sex'] }",
          "cross_slicing_specs { baseline_spec { feature_values { key: 'store' value: '3' } }",
          "                      slicing_specs { feature_keys: ['store'] } }",
          "options { compute_confidence_intervals { value: true } }");

  private static List<byte[]> records() {
    Random random = new Random(24);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      int label = random.nextInt(3) == 0 ? 1 : 0;
      float score = (float) Math.min(1, Math.max(0, 0.3 + 0.3 * label + random.nextGaussian() / 5));
      records.add(
          example(
                  "label",
                  ints(label),
                  "score",
                  floats(score),
                  "store",
                  ints(random.nextInt(40)),
                  "sex",
                  text(random.nextBoolean() ? "F" : "M"))
              .toByteArray());
    }
    return records;
  }

  private Path evaluate(int shards) throws Exception {
    FairbeamOptions options = PipelineOptionsFactory.as(FairbeamOptions.class);
    options.setRunner(DirectRunner.class);
    options.setSliceShards(shards);
    Pipeline pipeline = Pipeline.create(options);
    Path output = temp.getRoot().toPath().resolve("shards-" + shards);
    pipeline
        .apply(Create.of(records()).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(EvalConfigLoader.parse(CONFIG, "c.pbtxt").config()))
        .apply(FairnessEval.write().to(output.toString()));
    pipeline.run().waitUntilFinish();
    return output;
  }

  /** Each record's bytes, sorted, so that outputs compare whatever order they were written in. */
  private static List<ByteString> sorted(List<? extends com.google.protobuf.Message> records) {
    TreeMap<String, ByteString> byText = new TreeMap<>();
    for (com.google.protobuf.Message record : records) {
      byText.put(record.toString(), record.toByteString());
    }
    assertEquals("records are distinct", records.size(), byText.size());
    return new ArrayList<>(byText.values());
  }

  @Test
  public void anyShardCountGivesTheSameResult() throws Exception {
    Path one = evaluate(1);
    List<MetricsForSlice> metrics = EvalResultReader.metrics(one);
    List<PlotsForSlice> plots = EvalResultReader.plots(one);
    ValidationResult validation = EvalResultReader.validation(one);
    DisparityReport disparities = EvalResultReader.disparities(one);
    // Overall, 40 stores, 80 store × sex, and each store (3 too, as TFMA does) against store 3.
    assertEquals(1 + 40 + 80 + 40, metrics.size());
    assertEquals(40, metrics.stream().filter(MetricsForSlice::hasCrossSliceKey).count());
    assertTrue(disparities.getDisparitiesCount() > 0);
    for (int shards : new int[] {7, 64}) {
      Path other = evaluate(shards);
      assertEquals(sorted(metrics), sorted(EvalResultReader.metrics(other)));
      assertEquals(sorted(plots), sorted(EvalResultReader.plots(other)));
      assertEquals(validation, EvalResultReader.validation(other));
      assertEquals(disparities, EvalResultReader.disparities(other));
    }
  }

  @Test
  public void aSliceHasTheSameShardOnEveryRun() {
    SliceKey store = SliceKey.of(List.of(new SliceKey.Column("store", SliceValue.ofInt64(3))));
    SliceKey sex = SliceKey.of(List.of(new SliceKey.Column("sex", SliceValue.ofString("F"))));
    // Fixed by the key's encoding, not by an object's identity: the same numbers in every JVM.
    assertEquals(SHARD_OF_STORE_3, SliceShards.of(store, 64));
    assertEquals(SHARD_OF_SEX_F, SliceShards.of(sex, 64));
    assertEquals(0, SliceShards.of(SliceKey.OVERALL, 1));
  }
}
