package io.fairbeam.slice;

import io.fairbeam.proto.tfma.SingleSliceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The identity of one slice: a list of (column, value) pairs sorted by column, as TFMA's slicer
 * builds it; the empty key is the Overall slice. Immutable, with value equality.
 */
public final class SliceKey implements Comparable<SliceKey> {
  /** One (column, value) pair. */
  public record Column(String name, SliceValue value) {}

  private static final Comparator<Column> ORDER =
      Comparator.comparing(Column::name).thenComparing(Column::value);

  /** The Overall slice. */
  public static final SliceKey OVERALL = new SliceKey(List.of());

  private final List<Column> columns;
  private final int hash;

  private SliceKey(List<Column> columns) {
    this.columns = columns;
    this.hash = columns.hashCode();
  }

  /** A key of {@code columns} in any order; they are sorted as TFMA sorts them. */
  public static SliceKey of(List<Column> columns) {
    if (columns.isEmpty()) {
      return OVERALL;
    }
    List<Column> sorted = new ArrayList<>(columns);
    sorted.sort(ORDER);
    return new SliceKey(List.copyOf(sorted));
  }

  /** The slice's feature values, in the order of its slicing spec; none for Overall. */
  public List<Column> columns() {
    return columns;
  }

  /** Whether this is the Overall slice (every example). */
  public boolean isOverall() {
    return columns.isEmpty();
  }

  /** The TFMA {@code SliceKey} proto. */
  public io.fairbeam.proto.tfma.SliceKey toProto() {
    io.fairbeam.proto.tfma.SliceKey.Builder proto = io.fairbeam.proto.tfma.SliceKey.newBuilder();
    for (Column column : columns) {
      SingleSliceKey.Builder single = proto.addSingleSliceKeysBuilder().setColumn(column.name());
      column.value().setOn(single);
    }
    return proto.build();
  }

  /** The key read back from a TFMA {@code SliceKey} proto. */
  public static SliceKey fromProto(io.fairbeam.proto.tfma.SliceKey proto) {
    List<Column> columns = new ArrayList<>();
    for (SingleSliceKey single : proto.getSingleSliceKeysList()) {
      columns.add(new Column(single.getColumn(), SliceValue.fromProto(single)));
    }
    return of(columns);
  }

  /** The slice as people read it: {@code Overall}, or {@code sex=female × class=First}. */
  public String label() {
    if (columns.isEmpty()) {
      return "Overall";
    }
    return columns.stream().map(c -> c.name() + "=" + c.value()).collect(Collectors.joining(" × "));
  }

  /**
   * A cross slice as people read it, its value being baseline minus comparison: {@code sex=female −
   * sex=male}.
   */
  public static String label(io.fairbeam.proto.tfma.CrossSliceKey cross) {
    return fromProto(cross.getBaselineSliceKey()).label()
        + " − "
        + fromProto(cross.getComparisonSliceKey()).label();
  }

  /**
   * TFMA's name for the slice ({@code slicer_lib.stringify_slice_key}): {@code Overall}, or the
   * columns and the values each joined by {@code _X_}, e.g. {@code class_X_sex:First_X_female}.
   */
  @Override
  public String toString() {
    if (columns.isEmpty()) {
      return "Overall";
    }
    return columns.stream().map(Column::name).collect(Collectors.joining("_X_"))
        + ":"
        + columns.stream().map(c -> c.value().toString()).collect(Collectors.joining("_X_"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceKey other && hash == other.hash && columns.equals(other.columns);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Overall first, then by number of columns, then column by column. */
  @Override
  public int compareTo(SliceKey other) {
    if (columns.size() != other.columns.size()) {
      return Integer.compare(columns.size(), other.columns.size());
    }
    for (int i = 0; i < columns.size(); i++) {
      int c = ORDER.compare(columns.get(i), other.columns.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
