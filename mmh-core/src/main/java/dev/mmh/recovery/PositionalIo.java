package dev.mmh.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * Positional reads and writes on a channel, safe to call from several workers at once: lock-free on a
 * {@link FileChannel} (pread/pwrite), serialised on the channel otherwise. Does not own the channel.
 */
final class PositionalIo {
    private final SeekableByteChannel ch;
    private final FileChannel file;

    PositionalIo(SeekableByteChannel ch) {
        this.ch = ch;
        this.file = ch instanceof FileChannel f ? f : null;
    }

    long size() throws IOException {
        if (file != null) {
            return file.size();
        }
        synchronized (ch) {
            return ch.size();
        }
    }

    /**
     * Reads into {@code dst} from {@code pos} until it is full or the channel ends.
     *
     * @return bytes read (less than requested only at the end of the channel)
     */
    int read(long pos, ByteBuffer dst) throws IOException {
        int start = dst.position();
        if (file != null) {
            while (dst.hasRemaining()) {
                int r = file.read(dst, pos + dst.position() - start);
                if (r < 0) {
                    break;
                }
            }
        } else {
            synchronized (ch) {
                ch.position(pos);
                while (dst.hasRemaining()) {
                    if (ch.read(dst) < 0) {
                        break;
                    }
                }
            }
        }
        return dst.position() - start;
    }

    /** Writes all of {@code src} at {@code pos}. */
    void write(long pos, ByteBuffer src) throws IOException {
        int start = src.position();
        if (file != null) {
            while (src.hasRemaining()) {
                file.write(src, pos + src.position() - start);
            }
        } else {
            synchronized (ch) {
                ch.position(pos);
                while (src.hasRemaining()) {
                    ch.write(src);
                }
            }
        }
    }
}
