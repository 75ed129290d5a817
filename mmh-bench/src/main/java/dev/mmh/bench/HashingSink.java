package dev.mmh.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * An output stream that keeps only the byte count and the XXH64 of what is written: the round-trip check compares
 * decompressed output with the input this way, streamed, without storing either. Not thread-safe; {@code close()}
 * does nothing.
 */
public final class HashingSink extends OutputStream {
    private static final XXHashFactory XX = XXHashFactory.fastestInstance();
    private final StreamingXXHash64 hash = XX.newStreamingHash64(0);
    private long count;

    @Override
    public void write(int b) {
        hash.update(new byte[] {(byte) b}, 0, 1);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        hash.update(b, off, len);
        count += len;
    }

    /** Bytes written so far. */
    public long count() {
        return count;
    }

    /** XXH64 (seed 0) of the bytes written so far. */
    public long hash() {
        return hash.getValue();
    }

    /** Byte count and XXH64 of a stream, read to its end (the stream is not closed). */
    public static HashingSink of(InputStream in) throws IOException {
        HashingSink s = new HashingSink();
        in.transferTo(s);
        return s;
    }

    /** Byte count and XXH64 of a file. */
    public static HashingSink of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    @Override
    public void close() throws IOException {
        // nothing to release: the streaming hash is pure Java or freed by its cleaner
    }
}
