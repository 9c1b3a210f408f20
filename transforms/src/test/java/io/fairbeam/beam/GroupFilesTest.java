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

  /**
   * A file larger than a group's share is cut into contiguous ranges that cover it exactly, unless
   * it is GZIP or cannot seek; small files stay whole.
   */
  @Test
  public void cutsLargeSplittableFilesIntoRangesThatCoverThem() {
    List<MatchResult.Metadata> files =
        List.of(file("big.tfrecord", 1000), file("big.tfrecord.gz", 1000), file("small", 10));
    List<FileRange> pieces = new ArrayList<>();
    GroupFiles.split(files, 4, RecordFormat.TFRECORD, 100).forEach(pieces::addAll);
    List<FileRange> big = new ArrayList<>();
    for (FileRange piece : pieces) {
      if (piece.fileName().endsWith("big.tfrecord")) {
        big.add(piece);
      } else {
        assertEquals(piece + " stays whole", true, piece.isWhole());
      }
    }
    big.sort(java.util.Comparator.comparingLong(FileRange::start));
    // 2,010 bytes in 4 groups: a share of 503 bytes, so the big file is cut in two.
    assertEquals(2, big.size());
    assertEquals(0, big.get(0).start());
    assertEquals(big.get(0).end(), big.get(1).start());
    assertEquals(1000, big.get(1).end());
    assertEquals(4, pieces.size());
  }
}
