package dev.mmh.archive.fs;

import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Owner;
import dev.mmh.archive.format.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads what the file system says about a path, without following a symbolic link. Stateless. */
public final class Scan {
    private Scan() {
    }

    /**
     * A path's type and metadata as read.
     *
     * @param type the entry type, or {@code null} for a socket (not archived)
     * @param mode the 12 permission bits
     * @param size a file's size
     * @param dev the device and {@code ino} the inode (hard links share both)
     * @param links how many names the file has
     * @param rdev a device file's number
     * @param owner the owner (only when asked for)
     * @param xattrs the {@code user.} extended attributes (only when asked for)
     * @param target a symbolic link's target bytes
     */
    public record Info(EntryType type, int mode, long mtimeSeconds, int mtimeNanos, long size, long dev, long ino,
            int links, long rdev, Owner owner, List<Xattr> xattrs, byte[] target) {
        public long major() {
            return (rdev >>> 8 & 0xfff) | (rdev >>> 32 & ~0xfffL);
        }

        public long minor() {
            return (rdev & 0xff) | (rdev >>> 12 & ~0xffL);
        }
    }

    /** Reads {@code p}'s metadata (and the owner's names and extended attributes when asked). */
    public static Info read(Path p, boolean owner, boolean xattrs) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,nlink,rdev,uid,gid,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int m = (Integer) a.get("mode");
        EntryType type = switch (m & 0170000) {
            case 0100000 -> EntryType.FILE;
            case 0040000 -> EntryType.DIRECTORY;
            case 0120000 -> EntryType.SYMLINK;
            case 0010000 -> EntryType.FIFO;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            default -> null;
        };
        FileTime t = (FileTime) a.get("lastModifiedTime");
        java.time.Instant i = t.toInstant();
        Owner w = null;
        if (owner) {
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            String user = "";
            String group = "";
            try {
                Map<String, Object> names = Files.readAttributes(p, "unix:owner,group", LinkOption.NOFOLLOW_LINKS);
                user = nameOf(names.get("owner"), uid);
                group = nameOf(names.get("group"), gid);
            } catch (IOException | RuntimeException e) {
                // numeric ids only
            }
            w = Owner.of(Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid), user, group);
        }
        List<Xattr> xs = List.of();
        // only files and directories: the JDK opens the path to list its attributes, and opening a FIFO blocks until
        // a writer comes (opening a device may even act on it)
        if (xattrs && (type == EntryType.FILE || type == EntryType.DIRECTORY)) {
            xs = xattrs(p);
        }
        byte[] target = type == EntryType.SYMLINK ? RawNames.bytes(Files.readSymbolicLink(p)) : null;
        return new Info(type, m & 07777, i.getEpochSecond(), i.getNano(), (Long) a.get("size"),
                (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"), (Long) a.get("rdev"), w, xs,
                target);
    }

    /** A principal's name, or empty when the system knows only the number. */
    private static String nameOf(Object principal, int id) {
        String n = String.valueOf(principal);
        return n.equals(Integer.toString(id)) ? "" : n;
    }

    private static List<Xattr> xattrs(Path p) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        if (v == null) {
            return List.of();
        }
        List<String> names;
        try {
            names = v.list();
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
        List<Xattr> xs = new ArrayList<>();
        for (String n : names) {
            int size = v.size(n);
            ByteBuffer b = ByteBuffer.allocate(size);
            v.read(n, b);
            xs.add(new Xattr((Metadata.USER + n).getBytes(StandardCharsets.UTF_8), Arrays.copyOf(b.array(),
                    b.position())));
        }
        return xs;
    }

    /**
     * The names in directory {@code dir}, as bytes, sorted (unsigned), so that the same tree is always walked in the
     * same order.
     */
    public static List<byte[]> names(Path dir) throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(RawNames.name(p));
            }
        }
        names.sort(Arrays::compareUnsigned);
        return names;
    }
}
