package io.fairbeam.beam;

import io.fairbeam.eval.RunCounts;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Encodes {@link RunCounts}. */
final class RunCountsCoder extends AtomicCoder<RunCounts> {
  private static final long serialVersionUID = 1L;
  private static final RunCountsCoder INSTANCE = new RunCountsCoder();

  public static RunCountsCoder of() {
    return INSTANCE;
  }

  private RunCountsCoder() {}

  @Override
  public void encode(RunCounts value, OutputStream out) throws IOException {
    value.writeTo(new DataOutputStream(out));
  }

  @Override
  public RunCounts decode(InputStream in) throws IOException {
    return RunCounts.readFrom(new DataInputStream(in));
  }
}
