package io.fairbeam.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.AfterClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The fuzz suite with a fixed seed and small sizes, as CI runs it, one test per case: every family
 * of damaged input and misuse ({@code tfrecord-7} is case 7 of the TFRecord family, replayed alone
 * by {@link FuzzCampaign#random}) and the process kills ({@code kill}) must end in a clear error or
 * a correct result ({@link FuzzRunner}). After the cases, each family must have had both outcomes,
 * or the suite checks less than it says. {@code scripts/fuzz} runs longer campaigns of the same
 * generator.
 */
@RunWith(Parameterized.class)
public class FuzzSuiteTest {
  static final long SEED = 20261125L;
  private static final int CASES_PER_FAMILY = 30;
  private static final int KILLS = 2;

  /** The kill cases and the concurrent-run case, run as one test: they share generated data. */
  private static final String KILL = "kill";

  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();

  /** Every case's outcomes (several for the kills), by test name, for the check after them. */
  private static final Map<String, List<FuzzRunner.Outcome>> OUTCOMES = new ConcurrentHashMap<>();

  @Parameters(name = "{0}-{1}")
  public static List<Object[]> cases() {
    List<Object[]> cases = new ArrayList<>();
    for (String family : FuzzFamilies.NAMES) {
      for (int i = 0; i < CASES_PER_FAMILY; i++) {
        cases.add(new Object[] {family, i});
      }
    }
    cases.add(new Object[] {KILL, KILLS});
    return cases;
  }

  private final String family;
  private final int index;

  public FuzzSuiteTest(String family, int index) {
    this.family = family;
    this.index = index;
  }

  @Test
  public void endsInAClearErrorOrACorrectResult() throws IOException {
    Path work = TEMP.getRoot().toPath();
    List<FuzzRunner.Outcome> outcomes;
    if (family.equals(KILL)) {
      outcomes =
          KillFaults.run(SEED, index, work.resolve(KILL), System.getProperty("java.class.path"));
    } else {
      Path dir = Files.createDirectories(work.resolve(family + "-" + index));
      FuzzCase fuzzCase =
          FuzzFamilies.generator(family).apply(FuzzCampaign.random(SEED, family, index), dir);
      outcomes = List.of(FuzzRunner.run(fuzzCase, dir));
    }
    OUTCOMES.put(family + "-" + index, outcomes);
    FuzzCampaign.Report report = new FuzzCampaign.Report(SEED, outcomes);
    assertEquals(report.render(), 0, report.violations().size());
  }

  /** The suite must exercise both outcomes in every family, or it checks less than it says. */
  @AfterClass
  public static void everyFamilyHadBothOutcomes() {
    List<FuzzRunner.Outcome> all = new ArrayList<>();
    OUTCOMES.values().forEach(all::addAll);
    System.out.print(new FuzzCampaign.Report(SEED, all).render());
    if (OUTCOMES.size() < cases().size()) {
      return; // a subset was run (-Dtest=FuzzSuiteTest#...): there is nothing to count
    }
    for (String name : FuzzFamilies.NAMES) {
      for (FuzzRunner.Kind kind : List.of(FuzzRunner.Kind.RESULT, FuzzRunner.Kind.ERROR)) {
        assertTrue(
            name + " has no " + kind + " case",
            all.stream().anyMatch(o -> o.fuzzCase().family().equals(name) && o.kind() == kind));
      }
    }
  }
}
