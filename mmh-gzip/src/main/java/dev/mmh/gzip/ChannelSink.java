package dev.mmh.gzip;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Adapters between streams and channels that move large pieces: writes to an OutputStream through its channel
 * when it is a file, else through one reused array; {@link #source(InputStream)} reads likewise (the JDK's
 * {@code Channels.newChannel} moves 8 KiB per call).
 */
final class ChannelSink implements WritableByteChannel, java.io.Flushable {
    private final OutputStream out;
    private final WritableByteChannel channel;
    private byte[] scratch;
    private boolean open = true;

    private ChannelSink(OutputStream out) {
        this.out = out;
        this.channel = out instanceof FileOutputStream f ? f.getChannel() : null;
    }

    static WritableByteChannel of(OutputStream out) {
        return new ChannelSink(out);
    }

    /** A channel reading {@code in} up to 256 KiB per call; closing it closes {@code in}. */
    static ReadableByteChannel source(InputStream in) {
        return new ReadableByteChannel() {
            private final byte[] buf = new byte[256 << 10];
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (!dst.hasRemaining()) {
                    return 0;
                }
                if (dst.hasArray()) {
                    int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }
                int n = in.read(buf, 0, Math.min(buf.length, dst.remaining()));
                if (n > 0) {
                    dst.put(buf, 0, n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                open = false;
                in.close();
            }
        };
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (channel != null) {
            while (src.hasRemaining()) {
                channel.write(src);
            }
            return n;
        }
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
            return n;
        }
        if (scratch == null) {
            scratch = new byte[64 << 10];
        }
        while (src.hasRemaining()) {
            int k = Math.min(scratch.length, src.remaining());
            src.get(scratch, 0, k);
            out.write(scratch, 0, k);
        }
        return n;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        out.close();
    }
}
