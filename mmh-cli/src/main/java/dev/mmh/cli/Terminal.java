package dev.mmh.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the process is connected to. */
final class Terminal {
    private Terminal() {
    }

    /** Whether file descriptor {@code fd} (0, 1, 2) is a terminal. Linux: /proc; elsewhere: System.console(). */
    static boolean isTty(int fd) {
        try {
            Path p = Path.of("/proc/self/fd/" + fd);
            if (Files.exists(p)) {
                String target = Files.readSymbolicLink(p).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception ignored) {
            // fall through
        }
        return System.console() != null;
    }
}
