package io.fairbeam.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.beam.sdk.annotations.Internal;

/**
 * An exclusive lock on a file beside the output, held while a run may write there. The operating
 * system releases it when the process dies, so a killed run never blocks the next.
 *
 * <p>The file is removed (while still locked) when the run ends, so a run may open and lock a file
 * that another run has just removed from the path; a run therefore holds the lock only if the path
 * still names the file it locked (same device and inode, read with {@code stat}, never by opening
 * the file again: closing any descriptor of a file drops the process's POSIX locks on it). Once
 * locked, the file says which process holds it.
 */
@Internal
public final class OutputLock implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private FileLock lock;

  private OutputLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks the output {@code absolute} (named {@code asGiven} in messages) with the hidden file
   * {@code .<name>.fairbeam-lock} beside it.
   *
   * @throws OutputRefusedException if another run holds the lock
   */
  public static OutputLock beside(Path absolute, Path asGiven) throws IOException {
    return acquire(
        absolute.resolveSibling("." + absolute.getFileName() + ".fairbeam-lock"), asGiven);
  }

  private static OutputLock acquire(Path path, Path output) throws IOException {
    while (true) {
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      Object opened = fileKey(path);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new OutputRefusedException(
            "--output "
                + output
                + " is being written by another"
                + " fairbeam run (lock "
                + path
                + "); wait for it to finish or choose another"
                + " output directory");
      }
      if (opened != null && opened.equals(fileKey(path))) {
        OutputLock held = new OutputLock(path, channel, lock);
        held.sayWhoHoldsIt();
        return held;
      }
      lock.release();
      channel.close();
    }
  }

  /**
   * Writes the holder's process id into the lock file, for people and tests that look at it; best
   * effort: on a full disk the run goes on and fails where it writes its result.
   */
  private void sayWhoHoldsIt() {
    try {
      channel.write(
          ByteBuffer.wrap(
              ("fairbeam run, process " + ProcessHandle.current().pid() + "\n")
                  .getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      // Nothing depends on the text.
    }
  }

  /** The device and inode the path names now, or null if nothing is there. */
  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (lock == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
      lock.release();
      channel.close();
    } catch (IOException e) {
      System.err.println("fairbeam: could not release the lock " + path + ": " + e.getMessage());
    }
    lock = null;
  }
}
