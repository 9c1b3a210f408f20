package io.fairbeam.eval;

import io.fairbeam.constraint.ConstraintSums;
import io.fairbeam.constraint.Measure;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceKeyExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds each usable example to the sums of the constraint populations it belongs to: in every group
 * of the population (each a slice given by feature values, matched as slicing matches them), and in
 * the measure's population by its label. The value added is the measure's z from the label and the
 * score (or the decision at the measure's threshold), weighted as the metrics are.
 */
final class ConstraintAggregator {
  private final List<FairnessConstraints.Population> populations;
  private final SliceKeyExtractor[] groups;
  private final int[][] groupsOf;
  private final byte[] membership;

  ConstraintAggregator(EvalPlan plan) {
    this.populations = plan.constraints().populations();
    List<SlicingSpec> specs = new ArrayList<>();
    this.groupsOf = new int[populations.size()][];
    for (int p = 0; p < populations.size(); p++) {
      List<SlicingSpec> mine = populations.get(p).groups();
      groupsOf[p] = new int[mine.size()];
      for (int g = 0; g < mine.size(); g++) {
        int at = specs.indexOf(mine.get(g));
        if (at < 0) {
          at = specs.size();
          specs.add(mine.get(g));
        }
        groupsOf[p][g] = at;
      }
    }
    this.groups = new SliceKeyExtractor[specs.size()];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new SliceKeyExtractor(List.of(specs.get(g)), plan.features());
    }
    this.membership = new byte[groups.length];
  }

  /** Adds {@code example}, whose values {@code values} has just checked, to {@code sums}. */
  void add(ExampleFeatures example, ExampleValidator values, ConstraintSums sums) {
    java.util.Arrays.fill(membership, (byte) 0);
    for (int p = 0; p < populations.size(); p++) {
      if (!inAllGroups(example, groupsOf[p])) {
        continue;
      }
      FairnessConstraints.Population population = populations.get(p);
      int m = population.model();
      int c = population.classId();
      // A class of a multi-class model is judged one against the rest.
      double y = c < 0 ? values.label(m) : values.classLabel(m, c);
      Measure measure = population.node().measure();
      if (!measure.includes(y)) {
        continue;
      }
      Double threshold = population.node().threshold();
      double score = c < 0 ? values.score(m) : values.classScores(m)[c];
      double p1 = threshold == null ? score : (score > threshold ? 1 : 0);
      sums.add(p, values.weight(m), measure.value(y, p1));
    }
  }

  /** Whether {@code example} is in every group of {@code of}; memberships are found once. */
  private boolean inAllGroups(ExampleFeatures example, int[] of) {
    for (int g : of) {
      if (membership[g] == 0) {
        membership[g] = groups[g].slicesOf(example).size() > 0 ? (byte) 1 : (byte) 2;
      }
      if (membership[g] != 1) {
        return false;
      }
    }
    return true;
  }
}
