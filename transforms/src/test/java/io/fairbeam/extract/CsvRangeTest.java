package io.fairbeam.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.commons.csv.CSVRecord;
import org.junit.Test;

/**
 * Reading a CSV file in ranges reads every row exactly once, as a whole read parses it: the file
 * cut into two ranges at every byte offset, and into three at many pairs of offsets, gives the rows
 * of the whole file with the same cells and byte offsets, whatever the quoting (commas, doubled
 * quotes and line breaks inside quotes, whitespace after a closing quote, a quote inside an
 * unquoted field), line endings (LF, CRLF, CR), blank lines, a byte-order mark and multi-byte
 * characters; and a file the parser refuses is an error however it is cut.
 */
public class CsvRangeTest {
  /** What a reader saw: each row as "offset:cells", and the error if any. */
  private record Reading(List<String> rows, String error) {}

  private static Reading read(CsvRange range, List<String> before) {
    List<String> rows = new ArrayList<>(before);
    try (CsvFile file = range.file()) {
      for (CSVRecord row = file.next(); row != null; row = file.next()) {
        rows.add(range.offsets().takeNext() + ":" + row.toList());
      }
      return new Reading(rows, null);
    } catch (IOException e) {
      return new Reading(rows, e.getMessage());
    }
  }

  private static Reading whole(byte[] file) throws IOException {
    try {
      return read(
          CsvRange.whole(new CsvRowOffsets(new ByteArrayInputStream(file), 0), "f.csv", -1),
          List.of());
    } catch (IOException e) {
      return new Reading(List.of(), e.getMessage());
    }
  }

  /** The ranges cut at {@code cuts} (ascending), read one after the other. */
  private static Reading inRanges(byte[] file, long... cuts) {
    List<String> rows = new ArrayList<>();
    String error = null;
    long start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      long end = i < cuts.length ? cuts[i] : file.length;
      if (end > start) {
        Reading range;
        try {
          range =
              read(CsvRange.open(new SeekableInMemoryByteChannel(file), "f.csv", start, end), rows);
        } catch (IOException e) {
          range = new Reading(rows, e.getMessage());
        }
        rows = new ArrayList<>(range.rows());
        error = error != null ? error : range.error();
      }
      start = end;
    }
    return new Reading(rows, error);
  }

  private static final String TRICKY =
      "\uFEFFid,text,score\r\n"
          + "1,plain,0.5\r\n"
          + "2,\"a, comma\",0.25\n"
          + "3,\"doubled \"\"quotes\"\" here\",1\n"
          + "\n"
          + "4,\"two\nlines\",0.75\r\n"
          + "5,\"crlf\r\ninside, and \"\"more\"\"\nlines\",0\n"
          + "\r\n"
          + "6,\"closed\"  ,0.1\n"
          + "7,5\" screen,0.2\r"
          + "8,caf\u00e9 \u4e2d\u6587,0.3\n"
          + "9,\"\u00e9\n\",\n"
          + ",,\n"
          + "10,\"\"\"\",last";

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void twoRangesCutAtEveryOffsetReadEachRowOnce() throws IOException {
    byte[] file = utf8(TRICKY);
    Reading whole = whole(file);
    assertEquals(null, whole.error());
    assertEquals(11, whole.rows().size());
    assertTrue(whole.rows().get(0).startsWith(TRICKY.indexOf("1,plain") + 2 + ":"));
    for (int cut = 1; cut < file.length; cut++) {
      assertEquals("cut at " + cut, whole, inRanges(file, cut));
    }
  }

  /**
   * The search from every offset finds exactly the next row the whole read sees, so ranges do split
   * the work (a search that gave up and answered "the end of the file" would still read each row
   * once, by the range before, on one core).
   */
  @Test
  public void theSearchFromEveryOffsetFindsTheNextRow() throws IOException {
    byte[] file = utf8(TRICKY);
    List<Long> starts = new ArrayList<>();
    for (String row : whole(file).rows()) {
      starts.add(Long.parseLong(row.substring(0, row.indexOf(':'))));
    }
    for (int from = 1; from < file.length; from++) {
      long expected = file.length;
      for (long start : starts) {
        if (start >= from) {
          expected = start;
          break;
        }
      }
      assertEquals(
          "from " + from,
          expected,
          CsvSync.next(new SeekableInMemoryByteChannel(file), from, file.length));
    }
  }

  @Test
  public void threeRangesCutAtEveryPairOfOffsetsReadEachRowOnce() throws IOException {
    byte[] file = utf8(TRICKY);
    Reading whole = whole(file);
    for (int a = 1; a < file.length; a++) {
      for (int b = a + 1; b < file.length; b += 3) {
        assertEquals("cuts at " + a + ", " + b, whole, inRanges(file, a, b));
      }
    }
  }

  @Test
  public void randomQuotedFilesReadEachRowOnceWhereverCut() throws IOException {
    Random random = new Random(25);
    String[] cells = {"x", "", "\"q\"", "\"a,b\"", "\"l\nm\"", "\"\"\"\"", "y z", "\"\r\n\""};
    for (int f = 0; f < 20; f++) {
      StringBuilder text = new StringBuilder("a,b,c\n");
      for (int row = 0; row < 15; row++) {
        for (int c = 0; c < 3; c++) {
          text.append(c > 0 ? "," : "").append(cells[random.nextInt(cells.length)]);
        }
        text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
      }
      byte[] file = utf8(text.toString());
      Reading whole = whole(file);
      assertEquals(null, whole.error());
      for (int cut = 1; cut < file.length; cut++) {
        assertEquals("file " + f + ", cut at " + cut, whole, inRanges(file, cut));
      }
    }
  }

  @Test
  public void aQuoteNeverClosedIsAnErrorWhereverCut() throws IOException {
    byte[] file = utf8("id,text\n1,ok\n2,\"opens\nand goes on\n3,for ever\n4,x\n");
    assertThat(whole(file).error(), containsString("line 3: a quoted field opens there"));
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      assertNotNull("cut at " + cut, split.error());
      assertThat(
          split.error(),
          anyOf(containsString("is never closed"), containsString("--splitFiles=false")));
    }
  }

  @Test
  public void aLetterAfterAClosingQuoteIsAnErrorWhereverCut() throws IOException {
    byte[] file = utf8("id,text\n1,ok\n2,\"closed\"then more\n3,x\n");
    assertNotNull(whole(file).error());
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      assertNotNull("cut at " + cut, split.error());
      assertThat(split.error(), containsString("a quoted field is followed by other characters"));
    }
  }

  @Test
  public void aRangeAfterTheFirstCountsLinesFromItsStart() throws IOException {
    byte[] file = utf8("id,text\n1,ok\n2,\"opens\nnever closes\n");
    int cut = "id,text\n1,".length();
    Reading split = inRanges(file, cut);
    int second = "id,text\n1,ok\n".length();
    assertEquals(
        "f.csv: line 1 counted from byte offset "
            + second
            + ": a quoted field opens there and is never closed (the file ends inside the"
            + " quotes)",
        split.error());
  }
}
