package io.fairbeam.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;

/**
 * The bytes {@code [start, end)} of a file open as a channel, as a stream that ends at {@code end}
 * and leaves the channel open when closed (its opener closes it).
 */
final class ChannelRange extends FilterInputStream {
  private long left;

  private ChannelRange(InputStream in, long length) {
    super(in);
    this.left = length;
  }

  static InputStream open(SeekableByteChannel channel, long start, long end) throws IOException {
    channel.position(start);
    return new ChannelRange(Channels.newInputStream(channel), Math.max(0, end - start));
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = super.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, left));
    left -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(super.available(), left);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {}
}
