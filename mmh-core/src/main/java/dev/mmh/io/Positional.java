package dev.mmh.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads that fill as much as the file holds, and writes of whole buffers. Thread-safe on a
 * {@link FileChannel}.
 */
public final class Positional {
    private Positional() {
    }

    /** Reads up to {@code len} bytes at {@code pos} into {@code b[0, len)}; fewer only at the end of the file. */
    public static int read(FileChannel ch, byte[] b, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                break;
            }
        }
        return bb.position();
    }

    /**
     * Writes the remaining bytes of {@code b} at {@code pos} (the channel's position is not used nor changed);
     * afterwards {@code b} has none remaining.
     */
    public static void write(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
