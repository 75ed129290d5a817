package dev.mmh.archive.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Temporary files that a shutdown of the JVM (Ctrl-C) deletes if they are still registered. Thread-safe. */
public final class TempFiles {
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : OPEN) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort while the JVM exits
                }
            }
        }, "mmh-extract-cleanup"));
    }

    private TempFiles() {
    }

    public static void register(Path p) {
        OPEN.add(p);
    }

    public static void unregister(Path p) {
        OPEN.remove(p);
    }
}
