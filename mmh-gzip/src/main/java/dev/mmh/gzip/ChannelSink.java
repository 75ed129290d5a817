package dev.mmh.gzip;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** Writes buffers to an OutputStream: through its channel when it is a file, else through one reused array. */
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
