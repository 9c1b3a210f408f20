package io.fairbeam.fuzz;

import java.util.List;

/**
 * One generated case: the command line to run over the files the generator wrote into the case
 * directory, and what a correct Fairbeam must do with it.
 *
 * @param family the family of damage or misuse, for the campaign report
 * @param kind what was done, e.g. {@code flip-payload record 7}
 * @param args the command line ({@code evaluate ...} or {@code convert ...})
 * @param expect what must happen
 */
record FuzzCase(String family, String kind, List<String> args, Expect expect) {

  /**
   * What a case must end in. Whatever it says, every case must also end in a clear error (exit 1 or
   * 2, one message, no trace, nothing changed) or a complete result with every record read counted
   * as evaluated or skipped.
   *
   * @param succeeds true: must succeed; false: must fail; null: either
   * @param records records the result must say were read (null: not known)
   * @param evaluated the rows the result must have evaluated, checked against the Overall values
   *     (null: not known)
   * @param exit the exit status a failure must have (null: 1 or 2)
   * @param mentions text the error message must contain (null: no requirement)
   * @param stdoutMentions text a success must print (null: no requirement)
   */
  record Expect(
      Boolean succeeds,
      Long records,
      List<FuzzData.Row> evaluated,
      Integer exit,
      String mentions,
      String stdoutMentions) {

    /** A result that read {@code records} records and evaluated exactly {@code evaluated}. */
    static Expect result(long records, List<FuzzData.Row> evaluated) {
      return new Expect(true, records, evaluated, null, null, null);
    }

    /** A failure whose message contains {@code mentions}. */
    static Expect error(String mentions) {
      return new Expect(false, null, null, null, mentions, null);
    }

    /** A usage failure (exit 2) whose message contains {@code mentions}. */
    static Expect usage(String mentions) {
      return new Expect(false, null, null, 2, mentions, null);
    }

    /** Either outcome; a result must still have read {@code records} (null: not known). */
    static Expect either(Long records, List<FuzzData.Row> evaluated) {
      return new Expect(null, records, evaluated, null, null, null);
    }

    /** The same, and a success must print {@code text}. */
    Expect printing(String text) {
      return new Expect(succeeds, records, evaluated, exit, mentions, text);
    }
  }
}
