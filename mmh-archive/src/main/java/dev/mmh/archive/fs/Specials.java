package dev.mmh.archive.fs;

import dev.mmh.archive.format.Entry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes FIFOs and device files, which Java cannot create: through the system's {@code mkfifo} and {@code mknod}
 * (coreutils), given the path as one argument, never through a shell. Only used with {@code --special}.
 */
public final class Specials {
    private Specials() {
    }

    public static void make(Path p, Entry e) throws IOException {
        String mode = Integer.toOctalString(e.mode() & 0777);
        ProcessBuilder pb = switch (e.type()) {
            case FIFO -> new ProcessBuilder("mkfifo", "-m", mode, "--", p.toString());
            case CHAR_DEVICE, BLOCK_DEVICE -> new ProcessBuilder("mknod", "-m", mode, "--", p.toString(),
                    e.type() == dev.mmh.archive.format.EntryType.CHAR_DEVICE ? "c" : "b", Long.toString(e.major()),
                    Long.toString(e.minor()));
            default -> throw new IllegalArgumentException(e.type() + " is not special");
        };
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (proc.waitFor() != 0) {
                throw new IOException(out.isEmpty() ? pb.command().get(0) + " failed" : out);
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted making " + p);
        }
    }
}
