package dev.mmh.cli;

import dev.mmh.format.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tells a folder archive from a single-file one by its first bytes: the magic, then format version 3 (docs/FORMAT.md,
 * "Folder archives"). A class of its own, with nothing of mmh-archive, so that decompressing a single-file archive
 * loads none of the folder archives' classes to find out that it is one.
 */
final class FolderHead {
    /** The format version in a folder archive's header. */
    static final int VERSION = Format.FOLDER_VERSION;

    /** Bytes of the header that decide: the magic and the version. */
    static final int SIZE = Format.MAGIC.length + 2;

    private FolderHead() {
    }

    /** Whether {@code head} (a file's first bytes) starts a folder archive. */
    static boolean is(byte[] head) {
        int m = Format.MAGIC.length;
        return head.length >= SIZE && Arrays.equals(head, 0, m, Format.MAGIC, 0, m)
                && ((head[m] & 0xff) | (head[m + 1] & 0xff) << 8) == VERSION;
    }

    /** Whether the regular file {@code p} starts a folder archive; false for anything else or unreadable. */
    static boolean is(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            return is(in.readNBytes(SIZE));
        } catch (IOException e) {
            return false; // the command that opens it says why
        }
    }
}
