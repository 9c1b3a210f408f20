package io.fairbeam.beam;

import static org.junit.Assert.assertEquals;

import io.fairbeam.extract.RecordFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.Test;

/** Balanced grouping of input files by size. */
public class GroupFilesTest {
  private static MatchResult.Metadata file(String name, long size) {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource("/data/" + name, false))
        .setSizeBytes(size)
        .setIsReadSeekEfficient(true)
        .build();
  }

  @Test
  public void splitsBySizeIntoAtMostNGroups() {
    List<MatchResult.Metadata> files = new ArrayList<>();
    long[] sizes = {90, 10, 50, 40, 30, 20, 60};
    for (int i = 0; i < sizes.length; i++) {
      files.add(file("f" + i, sizes[i]));
    }
    List<List<FileRange>> groups = GroupFiles.split(files, 3, RecordFormat.TFRECORD, 0);
    assertEquals(3, groups.size());
    long total = 0;
    int count = 0;
    for (List<FileRange> group : groups) {
      long size = group.stream().mapToLong(FileRange::sizeBytes).sum();
      total += size;
      count += group.size();
      assertEquals("balanced: " + size, true, size >= 90 && size <= 110);
    }
    assertEquals(300, total);
    assertEquals(7, count);
    assertEquals(2, GroupFiles.split(files.subList(0, 2), 5, RecordFormat.TFRECORD, 0).size());
  }
}
