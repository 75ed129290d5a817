package dev.mmh.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of this JVM, for in-process measurements. Linux /proc where needed; NaN/-1 elsewhere. */
final class JvmProbe {
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path STATUS = Path.of("/proc/self/status");

    private JvmProbe() {
    }

    /** User + system CPU seconds of the whole JVM (all threads, GC included), NaN when the JVM cannot say. */
    static double processCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            long ns = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** Resets the kernel's RSS high-water mark of this process (Linux 4.0+: "5" into clear_refs); false if it cannot. */
    static boolean resetPeakRss() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** VmHWM of this process in KiB, -1 when unknown. */
    static long peakRssKiB() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
