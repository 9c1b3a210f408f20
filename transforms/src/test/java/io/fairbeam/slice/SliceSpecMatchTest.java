package io.fairbeam.slice;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.proto.tfma.SlicingSpec;
import java.util.List;
import org.junit.Test;

/** {@link SliceSpecMatch} against TFMA's {@code is_slice_applicable} rules, case by case. */
public class SliceSpecMatchTest {
  private static final SliceKey FEMALE =
      SliceKey.of(List.of(new SliceKey.Column("sex", SliceValue.ofString("female"))));
  private static final SliceKey FEMALE_FIRST =
      SliceKey.of(
          List.of(
              new SliceKey.Column("class", SliceValue.ofString("First")),
              new SliceKey.Column("sex", SliceValue.ofString("female"))));
  private static final SliceKey AGE_3 =
      SliceKey.of(List.of(new SliceKey.Column("age", SliceValue.ofInt64(3))));

  @Test
  public void overallSpecAppliesToOverallOnly() {
    SlicingSpec overall = SlicingSpec.getDefaultInstance();
    assertTrue(SliceSpecMatch.applies(overall, SliceKey.OVERALL));
    assertFalse(SliceSpecMatch.applies(overall, FEMALE));
  }

  @Test
  public void featureKeysMustAllBeUsedAndNoOtherColumnPresent() {
    SlicingSpec sex = SlicingSpec.newBuilder().addFeatureKeys("sex").build();
    assertTrue(SliceSpecMatch.applies(sex, FEMALE));
    assertFalse(SliceSpecMatch.applies(sex, FEMALE_FIRST));
    assertFalse(SliceSpecMatch.applies(sex, SliceKey.OVERALL));
    SlicingSpec both =
        SlicingSpec.newBuilder().addFeatureKeys("sex").addFeatureKeys("class").build();
    assertTrue(SliceSpecMatch.applies(both, FEMALE_FIRST));
  }

  @Test
  public void featureValuesMatchTextAndNumbers() {
    SlicingSpec women = SlicingSpec.newBuilder().putFeatureValues("sex", "female").build();
    assertTrue(SliceSpecMatch.applies(women, FEMALE));
    assertFalse(SliceSpecMatch.applies(women, FEMALE_FIRST));
    SlicingSpec womenByClass =
        SlicingSpec.newBuilder().putFeatureValues("sex", "female").addFeatureKeys("class").build();
    assertTrue(SliceSpecMatch.applies(womenByClass, FEMALE_FIRST));
    assertTrue(
        SliceSpecMatch.applies(
            SlicingSpec.newBuilder().putFeatureValues("age", "3").build(), AGE_3));
    assertFalse(
        SliceSpecMatch.applies(
            SlicingSpec.newBuilder().putFeatureValues("age", "4").build(), AGE_3));
    assertFalse(
        SliceSpecMatch.applies(
            SlicingSpec.newBuilder().putFeatureValues("sex", "male").build(), FEMALE));
  }
}
