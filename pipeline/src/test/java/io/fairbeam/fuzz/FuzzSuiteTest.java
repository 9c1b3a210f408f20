package io.fairbeam.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The fuzz suite with a fixed seed and small sizes, as CI runs it: every family of damaged input
 * and misuse, and the process kills, must end in a clear error or a correct result ({@link
 * FuzzRunner}). {@code scripts/fuzz} runs longer campaigns of the same generator.
 */
public class FuzzSuiteTest {
  static final long SEED = 20261125L;
  private static final int CASES_PER_FAMILY = 30;
  private static final int KILLS = 2;

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void everyCaseEndsInAClearErrorOrACorrectResult() throws IOException {
    Path work = temp.getRoot().toPath();
    List<FuzzRunner.Outcome> outcomes =
        new ArrayList<>(FuzzCampaign.run(SEED, CASES_PER_FAMILY, FuzzFamilies.NAMES, work));
    outcomes.addAll(
        KillFaults.run(SEED, KILLS, work.resolve("kill"), System.getProperty("java.class.path")));
    FuzzCampaign.Report report = new FuzzCampaign.Report(SEED, outcomes);
    System.out.print(report.render());
    assertEquals(report.render(), 0, report.violations().size());
    // The suite must exercise both outcomes in every family, or it checks less than it says.
    for (String family : FuzzFamilies.NAMES) {
      for (FuzzRunner.Kind kind : List.of(FuzzRunner.Kind.RESULT, FuzzRunner.Kind.ERROR)) {
        assertTrue(
            family + " has no " + kind + " case",
            outcomes.stream()
                .anyMatch(o -> o.fuzzCase().family().equals(family) && o.kind() == kind));
      }
    }
  }
}
