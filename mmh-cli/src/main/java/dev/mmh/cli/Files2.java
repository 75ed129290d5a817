package dev.mmh.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opening inputs with the checks and messages a user expects. */
final class Files2 {
    private Files2() {
    }

    /** Checks that {@code p} is a readable file, with the message a user expects when it is not. */
    static void checkInput(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            throw new IOException("is a directory");
        }
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString());
        }
        if (!Files.isReadable(p)) {
            throw new AccessDeniedException(p.toString());
        }
    }

    /** Opens a regular file for reading, refusing directories with a clear message. */
    static InputStream openInput(Path p) throws IOException {
        checkInput(p);
        return Files.newInputStream(p);
    }

    /** Size of a regular file, or -1. */
    static long sizeOrUnknown(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
