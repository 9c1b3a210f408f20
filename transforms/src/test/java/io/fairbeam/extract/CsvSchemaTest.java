package io.fairbeam.extract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** CSV typing from every value, and reading rows into typed features. */
public class CsvSchemaTest {
  private static CsvSchema.Source source(String name, String text) {
    return new CsvSchema.Source() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  private static final String CSV =
      String.join(
          "\n",
          "id,score,flag,name,mixed",
          "1,0.5,True,\"Smith, J\",3",
          "2,1,False,Lee,",
          "3,,True,,x",
          "");

  @Test
  public void infersTypesFromAllValuesIgnoringBlanks() throws IOException {
    CsvSchema schema = CsvSchema.infer(List.of(source("a.csv", CSV)), null);
    assertEquals(List.of("id", "score", "flag", "name", "mixed"), schema.columns());
    assertEquals(FeatureKind.INT64, schema.kind("id"));
    assertEquals(FeatureKind.FLOAT, schema.kind("score"));
    assertEquals(FeatureKind.BYTES, schema.kind("flag"));
    assertEquals(FeatureKind.BYTES, schema.kind("name"));
    assertEquals(FeatureKind.BYTES, schema.kind("mixed"));
  }

  @Test
  public void typesAcrossFilesAndRejectsDifferentHeaders() throws IOException {
    CsvSchema schema =
        CsvSchema.infer(List.of(source("a.csv", "v\n1\n2\n"), source("b.csv", "v\n2.5\n")), null);
    assertEquals(FeatureKind.FLOAT, schema.kind("v"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                CsvSchema.infer(
                    List.of(source("a.csv", "v\n1\n"), source("b.csv", "w\n1\n")), null));
    assertEquals(true, e.getMessage().contains("b.csv"));
  }

  /**
   * Files scanned in parallel type a column as one file with all their rows would, in any order: a
   * float in one file makes an integer column FLOAT, text in one makes it BYTES, except in a
   * numeric-role column, whose text cells are bad records, not a type.
   */
  /** A source that is read in ranges: it gives its size and opens as a channel. */
  private static CsvSchema.Source rangedSource(String name, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new CsvSchema.Source() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public java.nio.channels.SeekableByteChannel openChannel() {
        return new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(bytes);
      }

      @Override
      public long size() {
        return bytes.length;
      }
    };
  }

  /**
   * A file typed in ranges of a few bytes (one per core) types each column as the whole file does:
   * the one text cell, behind a quoted line break, is seen by exactly one range.
   */
  @Test
  public void aFileTypedInRangesTypesAColumnAsAWholeReadWould() throws IOException {
    StringBuilder text = new StringBuilder("i,f,t,label\n");
    for (int row = 0; row < 40; row++) {
      text.append(row).append(',').append(row % 7 == 3 ? "2.5" : "2").append(',');
      text.append(row == 29 ? "\"a\nb\"" : Integer.toString(row)).append(",1\n");
    }
    for (long min : new long[] {1, 7, 100}) {
      CsvSchema schema =
          CsvSchema.infer(
              List.of(rangedSource("r.csv", text.toString())), null, java.util.Set.of(), min);
      assertEquals(FeatureKind.INT64, schema.kind("i"));
      assertEquals(FeatureKind.FLOAT, schema.kind("f"));
      assertEquals(FeatureKind.BYTES, schema.kind("t"));
    }
    String withoutText = text.toString().replace("\"a\nb\"", "29");
    assertEquals(
        FeatureKind.INT64,
        CsvSchema.infer(List.of(rangedSource("r.csv", withoutText)), null, java.util.Set.of(), 1)
            .kind("t"));
  }

  @Test
  public void filesTypeAColumnAsOneFileWould() throws IOException {
    List<String> files =
        List.of(
            "i,f,t,label\n1,1,1,1\n2,2,2,0\n",
            "i,f,t,label\n3,2.5,3,1\n",
            "i,f,t,label\n4,5,x,oops\n",
            "i,f,t,label\n,,,\n");
    for (int rotation = 0; rotation < files.size(); rotation++) {
      List<CsvSchema.Source> sources = new java.util.ArrayList<>();
      for (int f = 0; f < files.size(); f++) {
        int which = (f + rotation) % files.size();
        sources.add(source(which + ".csv", files.get(which)));
      }
      CsvSchema schema = CsvSchema.infer(sources, null, java.util.Set.of("label"));
      assertEquals(FeatureKind.INT64, schema.kind("i"));
      assertEquals(FeatureKind.FLOAT, schema.kind("f"));
      assertEquals(FeatureKind.BYTES, schema.kind("t"));
      assertEquals(FeatureKind.INT64, schema.kind("label"));
    }
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                CsvSchema.infer(
                    List.of(
                        source("a.csv", "v\n1\n"),
                        source("b.csv", "w\n1\n"),
                        source("c.csv", "x\n1\n")),
                    null));
    assertEquals(true, e.getMessage().startsWith("b.csv: CSV header [w] differs"));
  }

  @Test
  public void readsTypedValuesAndMissingCells() throws Exception {
    CsvSchema schema = CsvSchema.infer(List.of(source("a.csv", CSV)), null);
    FeatureSet features = FeatureSet.of(List.of("score", "name", "id"));
    ExampleFeatures example = features.newExample();
    try (CsvExampleReader reader =
        new CsvExampleReader(source("a.csv", CSV).open(), "a.csv", schema, features)) {
      reader.next(example);
      assertEquals(0.5f, example.slot(0).floatAt(0), 0f);
      assertEquals("Smith, J", example.slot(1).textAt(0));
      assertEquals(1L, example.slot(2).int64At(0));
      reader.next(example);
      assertEquals(FeatureKind.FLOAT, example.slot(0).kind());
      assertEquals(1.0f, example.slot(0).floatAt(0), 0f);
      reader.next(example);
      assertFalse(example.slot(0).present());
      assertFalse(example.slot(1).present());
      assertEquals(2, reader.recordIndex());
      assertFalse(reader.next(example));
    }
  }

  @Test
  public void rowWithWrongCellCountIsMalformed() throws Exception {
    String csv = "a,b\n1,2\n3\n";
    CsvSchema schema = CsvSchema.infer(List.of(source("x.csv", "a,b\n1,2\n")), null);
    FeatureSet features = FeatureSet.of(List.of("a"));
    try (CsvExampleReader reader =
        new CsvExampleReader(source("x.csv", csv).open(), "x.csv", schema, features)) {
      reader.next(features.newExample());
      MalformedRecordException e =
          assertThrows(MalformedRecordException.class, () -> reader.next(features.newExample()));
      assertEquals("line 3: CSV row has 1 cells, the header has 2", e.getMessage());
    }
  }

  private static IOException inferFails(String text) {
    return assertThrows(
        IOException.class, () -> CsvSchema.infer(List.of(source("bad.csv", text)), null));
  }

  @Test
  public void byteOrderMarkIsStripped() throws Exception {
    String csv = "\uFEFFsex,label\nmale,1\n";
    CsvSchema schema = CsvSchema.infer(List.of(source("bom.csv", csv)), null);
    assertEquals(List.of("sex", "label"), schema.columns());
    FeatureSet features = FeatureSet.of(List.of("sex"));
    ExampleFeatures example = features.newExample();
    try (CsvExampleReader reader =
        new CsvExampleReader(source("bom.csv", csv).open(), "bom.csv", schema, features)) {
      reader.next(example);
      assertEquals("male", example.slot(0).textAt(0));
    }
  }

  @Test
  public void headerProblemsNameTheColumn() {
    assertEquals(
        "bad.csv: line 1: CSV header names column 'a' twice (columns 1 and 3); every"
            + " column needs a unique name",
        inferFails("a,b,a\n1,2,3\n").getMessage());
    assertEquals(
        "bad.csv: line 1: CSV header column 2 of 3 has no name; every column needs a"
            + " unique name",
        inferFails("a, ,c\n1,2,3\n").getMessage());
    assertEquals("bad.csv: empty CSV file (no header line)", inferFails("").getMessage());
    assertEquals("bad.csv: empty CSV file (no header line)", inferFails("\n\n\r\n").getMessage());
  }

  @Test
  public void unterminatedQuoteNamesTheLineWhereItOpens() {
    assertEquals(
        "bad.csv: line 3: a quoted field opens there and is never closed (the file"
            + " ends inside the quotes)",
        inferFails("a,b\n1,2\n3,\"4\n5,6\n").getMessage());
  }

  @Test
  public void columnsNumericByRoleStayNumericAndKeepTheBadCellAsText() throws Exception {
    String csv = "label,group\n1,a\nyes,b\n0,c\n";
    CsvSchema byValues = CsvSchema.infer(List.of(source("r.csv", csv)), null);
    assertEquals(FeatureKind.BYTES, byValues.kind("label"));
    CsvSchema byRole =
        CsvSchema.infer(List.of(source("r.csv", csv)), null, java.util.Set.of("label"));
    assertEquals(FeatureKind.INT64, byRole.kind("label"));
    FeatureSet features = FeatureSet.of(List.of("label", "group"));
    ExampleFeatures example = features.newExample();
    try (CsvExampleReader reader =
        new CsvExampleReader(source("r.csv", csv).open(), "r.csv", byRole, features)) {
      reader.next(example);
      assertEquals(1.0, example.slot(0).numberAt(0), 0);
      reader.next(example);
      assertEquals(FeatureKind.BYTES, example.slot(0).kind());
      assertEquals("yes", example.slot(0).textAt(0));
      assertEquals(1, reader.recordIndex());
      reader.next(example);
      assertEquals(0.0, example.slot(0).numberAt(0), 0);
      assertEquals("c", example.slot(1).textAt(0));
    }
  }
}
