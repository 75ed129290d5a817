package dev.mmh.archive.fs;

import dev.mmh.archive.format.Names;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folder an extraction writes into, and the only way it reaches the file system: every path it makes is the
 * destination plus checked name components (never '..', never absolute, never with '/' or NUL inside a component),
 * and every existing component on the way must be a real directory, never a symbolic link — so no entry, whatever
 * links the archive or the destination hold, can make extraction write outside the destination. Thread-safe.
 */
public final class Destination {
    /** Why an entry could not be placed: one line naming it. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private final Path root;
    /** Directories this extraction made or checked, by path bytes: they need no second check. */
    private final ConcurrentHashMap<String, Path> dirs = new ConcurrentHashMap<>();

    /** @param root the destination; made (with its parents) if it does not exist */
    public Destination(Path root) throws IOException {
        Files.createDirectories(root);
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        this.root = root;
    }

    public Path root() {
        return root;
    }

    private static String key(byte[] rel) {
        return new String(rel, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * The directory at {@code rel} below the destination, made where missing (mode 0700 until its own mode is applied,
     * so its contents can be written).
     *
     * @return the directory's path
     * @throws Refused if a component exists and is a symbolic link or not a directory
     */
    public Path directory(byte[] rel) throws IOException {
        if (rel.length == 0) {
            return root;
        }
        Path known = dirs.get(key(rel));
        if (known != null) {
            return known;
        }
        List<byte[]> parts = split(rel);
        Path p = root;
        byte[] sofar = new byte[0];
        for (byte[] part : parts) {
            sofar = Names.join(sofar, part);
            Path next = RawNames.resolve(p, part);
            Path seen = dirs.get(key(sofar));
            if (seen != null) {
                p = seen;
                continue;
            }
            BasicFileAttributes a = attributes(next);
            if (a == null) {
                try {
                    Files.createDirectory(next);
                    Files.setAttribute(next, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
                } catch (FileAlreadyExistsException race) {
                    // made meanwhile (by another worker): checked below
                }
                a = attributes(next);
            }
            if (a == null || a.isSymbolicLink()) {
                throw new Refused(Names.display(sofar) + ": refused: a symbolic link is in the way (extraction never "
                        + "follows links)");
            }
            if (!a.isDirectory()) {
                throw new Refused(Names.display(sofar) + ": exists and is not a directory");
            }
            dirs.put(key(sofar), next);
            p = next;
        }
        return p;
    }

    /** The path of entry {@code rel} itself (its parent directory made and checked), not created. */
    public Path place(byte[] rel) throws IOException {
        List<byte[]> parts = split(rel);
        byte[] parent = new byte[0];
        for (int i = 0; i < parts.size() - 1; i++) {
            parent = Names.join(parent, parts.get(i));
        }
        return RawNames.resolve(directory(parent), parts.get(parts.size() - 1));
    }

    /** The attributes of {@code p} without following a link, or {@code null} if nothing is there. */
    public static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static List<byte[]> split(byte[] rel) throws Refused {
        try {
            return Names.split(rel);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }
}
