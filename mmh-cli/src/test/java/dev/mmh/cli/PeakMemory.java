package dev.mmh.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@link Main#main} with the given arguments and, as the JVM exits, prints its peak resident set size to
 * standard error as one line {@value #PREFIX}{@code N} (kibibytes, Linux's {@code VmHWM}), for
 * {@link BoundedMemoryTest}: the command runs exactly as the launcher runs it, exit code included.
 */
public final class PeakMemory {
    static final String PREFIX = "peak-rss-kib ";

    private PeakMemory() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(PREFIX + peakKiB())));
        Main.main(args);
    }

    /** VmHWM of this process in KiB, or -1 where /proc is not there. */
    static long peakKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
