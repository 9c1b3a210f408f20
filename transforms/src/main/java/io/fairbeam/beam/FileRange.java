package io.fairbeam.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;

/**
 * One unit of reading: a whole input file, or the records of an uncompressed file that start in the
 * byte range {@code [start, end)}, so one large file is read by several workers at once.
 */
final class FileRange {
  private final MatchResult.Metadata file;
  private final long start;
  private final long end;

  private FileRange(MatchResult.Metadata file, long start, long end) {
    this.file = file;
    this.start = start;
    this.end = end;
  }

  /** All of {@code file}. */
  static FileRange whole(MatchResult.Metadata file) {
    return new FileRange(file, 0, Long.MAX_VALUE);
  }

  /** The records of {@code file} that start in {@code [start, end)}. */
  static FileRange of(MatchResult.Metadata file, long start, long end) {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
    }
    return new FileRange(file, start, end);
  }

  MatchResult.Metadata file() {
    return file;
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  boolean isWhole() {
    return start == 0 && end == Long.MAX_VALUE;
  }

  /** The bytes this range covers. */
  long sizeBytes() {
    return isWhole() ? file.sizeBytes() : end - start;
  }

  String fileName() {
    return file.resourceId().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileRange other
        && file.equals(other.file)
        && start == other.start
        && end == other.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, start, end);
  }

  @Override
  public String toString() {
    return isWhole() ? fileName() : fileName() + "[" + start + ", " + end + ")";
  }

  /** Encodes a {@link FileRange}: the file's metadata and the two offsets. */
  static final class Coder extends AtomicCoder<FileRange> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    private Coder() {}

    @Override
    public void encode(FileRange value, OutputStream out) throws IOException {
      MetadataCoderV2.of().encode(value.file, out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(value.start);
      data.writeLong(value.end);
      data.flush();
    }

    @Override
    public FileRange decode(InputStream in) throws IOException {
      MatchResult.Metadata file = MetadataCoderV2.of().decode(in);
      DataInputStream data = new DataInputStream(in);
      return new FileRange(file, data.readLong(), data.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
