package dev.mmh.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The bytes of an object to put: a known size, and a stream that can be opened again from the start (a store opens
 * it once per attempt, and an S3 store once more to compute checksums before it sends). Large content is read from
 * a file, never held in memory. Implementations must give the same bytes each time; a store fails the put if a
 * stream gives a different number of bytes than {@link #size()}.
 */
public interface Content {

    /** The number of bytes. */
    long size();

    /** A new stream over all the bytes, from the first; the caller closes it. */
    InputStream open() throws IOException;

    /** The bytes of an array (not copied: the caller leaves them unchanged until the put returns). */
    static Content of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** {@code length} bytes of an array from {@code offset} (not copied). */
    static Content of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Content() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes, offset, length);
            }
        };
    }

    /** A whole file, as it is now (its size is read here). */
    static Content of(Path file) throws IOException {
        return of(file, 0, Files.size(file));
    }

    /** {@code length} bytes of a file from {@code offset} (e.g. one pack of a larger spool file). */
    static Content of(Path file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        return new Content() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public InputStream open() throws IOException {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                try {
                    ch.position(offset);
                    return new RangeInputStream(Channels.newInputStream(ch), length);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            }
        };
    }
}
