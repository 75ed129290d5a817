package dev.mmh.archive.fs;

import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Owner;
import dev.mmh.archive.format.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;

/** Applies an entry's stored metadata to what extraction made. Stateless. */
public final class Metadata {
    private Metadata() {
    }

    /** The {@code user.} namespace: the only one the JDK reaches ({@link UserDefinedFileAttributeView}). */
    static final String USER = "user.";

    /**
     * In the order that keeps each step from undoing another: extended attributes, owner (which clears set-id
     * bits), mode, and the modification time last. Symbolic links get only owner and time.
     *
     * @param owner whether to restore the owner
     * @param xattrs whether to restore extended attributes
     * @param directory whether {@code p} is a directory (whose mode and time come after its contents)
     */
    public static void apply(Path p, Entry e, boolean owner, boolean xattrs, boolean directory) throws IOException {
        boolean link = e.type() == EntryType.SYMLINK;
        if (xattrs && !link && !e.xattrs().isEmpty()) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            for (Xattr x : e.xattrs()) {
                String name = new String(x.name(), StandardCharsets.UTF_8);
                if (name.startsWith(USER) && v != null) {
                    v.write(name.substring(USER.length()), ByteBuffer.wrap(x.value()));
                }
            }
        }
        if (owner && e.owner() != null) {
            Owner w = e.owner();
            Files.setAttribute(p, "unix:uid", (int) w.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) w.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        // a FIFO or device must not be opened (the JDK sets modes and times without following links through an
        // open file, and opening a FIFO blocks until a writer comes): chmod and utimensat by path instead. It is the
        // node this extraction just made, in a folder whose path was checked, not a link
        boolean node = e.type() == EntryType.FIFO || e.type() == EntryType.CHAR_DEVICE
                || e.type() == EntryType.BLOCK_DEVICE;
        if (!link) {
            if (node) {
                Files.setAttribute(p, "unix:mode", e.mode());
            } else {
                Files.setAttribute(p, "unix:mode", e.mode(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (node) {
            // NIO sets times through an open file descriptor as well; without mmh's native calls (utimensat by path)
            // the node keeps the time of its making rather than hang
            if (dev.mmh.io.NativeFiles.available()) {
                dev.mmh.io.NativeFiles.setModifiedTime(RawNames.bytes(p), e.mtimeSeconds(), e.mtimeNanos());
            }
            return;
        }
        if (link && dev.mmh.io.NativeFiles.available()) {
            // NIO would set a link's time through lutimes, in microseconds
            dev.mmh.io.NativeFiles.setModifiedTime(RawNames.bytes(p), e.mtimeSeconds(), e.mtimeNanos());
            return;
        }
        FileTime t = FileTime.from(Instant.ofEpochSecond(e.mtimeSeconds(), e.mtimeNanos()));
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
    }
}
