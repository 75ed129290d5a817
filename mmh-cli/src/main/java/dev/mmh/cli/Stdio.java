package dev.mmh.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The data streams of the process: unbuffered file-descriptor streams (not System.out, whose PrintStream hides
 * write errors such as a full disk or a closed pipe). Tests may replace them.
 */
public final class Stdio {
    private static volatile InputStream in;
    private static volatile OutputStream out;

    private Stdio() {
    }

    static InputStream in() {
        InputStream i = in;
        return i != null ? i : new FileInputStream(FileDescriptor.in);
    }

    static OutputStream out() {
        OutputStream o = out;
        return o != null ? o : new FileOutputStream(FileDescriptor.out);
    }

    /** Standard input as a channel: the file descriptor's own where it is not redirected (no copy through Java). */
    static java.nio.channels.ReadableByteChannel inChannel() {
        InputStream i = in();
        return i instanceof FileInputStream f ? f.getChannel() : java.nio.channels.Channels.newChannel(i);
    }

    /** Standard output as a channel, as {@link #inChannel()}. */
    static java.nio.channels.WritableByteChannel outChannel() {
        OutputStream o = out();
        return o instanceof FileOutputStream f ? f.getChannel() : java.nio.channels.Channels.newChannel(o);
    }

    /** For tests: the streams that "-" and -c use; {@code null} restores the process's own. */
    public static void redirect(InputStream stdin, OutputStream stdout) {
        in = stdin;
        out = stdout;
    }
}
