package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.format.Owner;
import dev.mmh.archive.format.Xattr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the commands of folder archives share: telling a folder archive from a single-file one, paths named on the
 * command line, and how an entry is shown ({@code list -l}, {@code --json}). Only the commands that meet a folder
 * archive load this class (and with it mmh-archive's): a single-file compress or decompress never does.
 */
final class Folders {
    private Folders() {
    }

    /** Whether the regular file {@code p} is a folder archive (see {@link FolderHead}). */
    static boolean isFolderArchive(Path p) {
        return FolderHead.is(p);
    }

    /**
     * Opens the folder archive {@code f} with {@code ids} and closes it: for an encrypted one, this opens its sealed
     * manifest and blob tables and checks the end of the archive the manifest was sealed with (its blocks are
     * {@link dev.mmh.engine.Verifier}'s to check).
     *
     * @throws dev.mmh.AuthenticationFailedException no identity opens it, or a sealed section fails
     */
    static Void openSealed(Path f, List<dev.mmh.crypto.age.Identity> ids) throws IOException {
        try (FolderArchive a = FolderArchive.open(f, FolderArchive.ReadOptions.threads(1).withIdentities(ids))) {
            return null;
        }
    }

    /** A path given on the command line that is not one in an archive: a usage error. */
    static final class BadPath extends Exception {
        private static final long serialVersionUID = 1L;

        BadPath(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The bytes of a path in an archive, given on the command line as {@code mmh list} shows it: UTF-8, with
     * {@code \xNN} for a byte that is not and {@code \\} for a backslash ({@link Names#display}); a leading
     * {@code ./} and a trailing {@code /} (a directory in a listing) are dropped.
     *
     * @throws BadPath if it has an empty, {@code .} or {@code ..} component, or is empty
     */
    static byte[] path(String s) throws BadPath {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            byte c = utf8[i];
            if (c == '\\' && i + 1 < utf8.length && utf8[i + 1] == '\\') {
                b.write('\\');
                i++;
            } else if (c == '\\' && i + 3 < utf8.length && utf8[i + 1] == 'x' && hex(utf8[i + 2]) >= 0
                    && hex(utf8[i + 3]) >= 0) {
                b.write(hex(utf8[i + 2]) << 4 | hex(utf8[i + 3]));
                i += 3;
            } else {
                b.write(c);
            }
        }
        byte[] p = b.toByteArray();
        int from = 0;
        while (p.length - from >= 2 && p[from] == '.' && p[from + 1] == '/') {
            from += 2;
        }
        int to = p.length;
        while (to > from + 1 && p[to - 1] == '/') {
            to--;
        }
        p = Arrays.copyOfRange(p, from, to);
        try {
            Names.split(p);
        } catch (IllegalArgumentException e) {
            throw new BadPath(s + ": not a path in an archive (" + e.getMessage() + ")");
        }
        return p;
    }

    private static int hex(byte c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F'
                ? c - 'A' + 10 : -1;
    }

    /** The paths of {@code args}, or {@code null} after printing why one is not a path (then exit 2). */
    static List<byte[]> paths(List<String> args, String archive, java.io.PrintWriter err) {
        List<byte[]> out = new ArrayList<>(args.size());
        for (String a : args) {
            try {
                out.add(path(a));
            } catch (BadPath e) {
                err.println("mmh: " + archive + ": " + e.getMessage());
                err.flush();
                return null;
            }
        }
        return out;
    }

    /**
     * The version {@code n} asks for (the latest when {@code null}), or -1 after printing that the archive has no such
     * version (then exit 2).
     */
    static int version(FolderArchive a, Integer n, String archive, java.io.PrintWriter err) {
        int latest = a.latest();
        if (n == null) {
            return latest;
        }
        if (n < 1 || n > latest) {
            err.println("mmh: " + archive + ": no version " + n + (latest == 0 ? " (it has none)"
                    : latest == 1 ? " (it has version 1 only)" : " (it has versions 1 to " + latest + ")"));
            err.flush();
            return -1;
        }
        return n;
    }

    /** The word for an entry's type in listings and JSON. */
    static String type(EntryType t) {
        return switch (t) {
            case FILE -> "file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink";
            case HARDLINK -> "hardlink";
            case FIFO -> "fifo";
            case CHAR_DEVICE -> "char-device";
            case BLOCK_DEVICE -> "block-device";
        };
    }

    /** The path as listed: {@link Names#display}, with a trailing '/' for a directory. */
    static String shown(byte[] path, Entry e) {
        String s = Names.display(path);
        return e != null && e.type() == EntryType.DIRECTORY ? s + "/" : s;
    }

    /** The mode as {@code ls -l} shows it: the type, then rwx three times with setuid, setgid and sticky bits. */
    static String mode(Entry e) {
        char t = switch (e.type()) {
            case FILE -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case HARDLINK -> 'h';
            case FIFO -> 'p';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
        };
        int m = e.mode();
        char[] c = new char[10];
        c[0] = t;
        String rwx = "rwx";
        for (int i = 0; i < 9; i++) {
            c[1 + i] = (m & (0400 >> i)) != 0 ? rwx.charAt(i % 3) : '-';
        }
        c[3] = special(c[3], (m & 04000) != 0, 's');
        c[6] = special(c[6], (m & 02000) != 0, 's');
        c[9] = special(c[9], (m & 01000) != 0, 't');
        return new String(c);
    }

    private static char special(char x, boolean set, char lower) {
        return !set ? x : x == '-' ? Character.toUpperCase(lower) : lower;
    }

    /** ISO-8601 in UTC, with the fraction of a second only when it is not zero ({@code 2024-07-22T10:11:12Z}). */
    static String time(long seconds, int nanos) {
        try {
            return java.time.Instant.ofEpochSecond(seconds, nanos).toString();
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return "@" + seconds + (nanos == 0 ? "" : "." + String.format(java.util.Locale.ROOT, "%09d", nanos));
        }
    }

    /** The owner as {@code tar -tv} shows it: user/group by name where stored, else by number. */
    static String owner(Owner o) {
        return (o.user().length > 0 ? Names.display(o.user()) : Long.toString(o.uid())) + "/"
                + (o.group().length > 0 ? Names.display(o.group()) : Long.toString(o.gid()));
    }

    /** One line of {@code list -l}. */
    static String longLine(byte[] path, Entry e) {
        StringBuilder b = new StringBuilder(96);
        b.append(mode(e)).append(' ');
        if (e.owner() != null) {
            String o = owner(e.owner());
            b.append(o);
            for (int i = o.length(); i < 17; i++) {
                b.append(' ');
            }
            b.append(' ');
        }
        String size = e.type().isDevice() ? e.major() + "," + e.minor() : Long.toString(e.size());
        for (int i = size.length(); i < 12; i++) {
            b.append(' ');
        }
        b.append(size).append(' ').append(time(e.mtimeSeconds(), e.mtimeNanos())).append(' ').append(shown(path, e));
        if (e.type() == EntryType.SYMLINK || e.type() == EntryType.HARDLINK) {
            b.append(" -> ").append(Names.display(e.target()));
        }
        return b.toString();
    }

    /** Whether {@code b} is valid UTF-8 that {@link Names#display} shows as it is (no escapes). */
    static boolean plain(byte[] b) {
        return Names.display(b).equals(new String(b, StandardCharsets.UTF_8));
    }

    /** Puts {@code name} (shown) and, when it is not shown as it is, {@code name + "Base64"} (its bytes). */
    private static void bytes(Map<String, Object> m, String name, byte[] b) {
        m.put(name, Names.display(b));
        if (!plain(b)) {
            m.put(name + "Base64", Base64.getEncoder().encodeToString(b));
        }
    }

    /** An entry as a JSON object (docs/CLI.md, "Folder archives"). */
    static Map<String, Object> json(byte[] path, Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        bytes(m, "path", path);
        m.put("type", type(e.type()));
        m.put("mode", e.mode());
        m.put("size", e.size());
        m.put("mtime", time(e.mtimeSeconds(), e.mtimeNanos()));
        if (e.type() == EntryType.SYMLINK || e.type() == EntryType.HARDLINK) {
            bytes(m, "target", e.target());
        }
        if (e.type().isDevice()) {
            m.put("major", e.major());
            m.put("minor", e.minor());
        }
        if (e.sparse()) {
            m.put("sparse", true);
        }
        if (e.owner() != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("uid", e.owner().uid());
            o.put("gid", e.owner().gid());
            o.put("user", Names.display(e.owner().user()));
            o.put("group", Names.display(e.owner().group()));
            m.put("owner", o);
        }
        if (!e.xattrs().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Xattr x : e.xattrs()) {
                names.add(Names.display(x.name()));
            }
            m.put("xattrs", names);
        }
        return m;
    }

    /** A version as a JSON object ({@code list --versions --json}). */
    static Map<String, Object> json(Manifest.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.number());
        m.put("date", time(v.newestSeconds(), v.newestNanos()));
        m.put("files", v.files());
        m.put("directories", v.directories());
        m.put("others", v.others());
        m.put("bytes", v.bytes());
        m.put("newBytes", v.newBytes());
        bytes(m, "label", v.label());
        return m;
    }

    /**
     * Writes a JSON array one element at a time (each through {@link dev.mmh.json.Json#write}, the one writer), so
     * that a listing of millions of entries never holds them all. Not thread-safe.
     */
    static final class JsonArray {
        private final java.io.PrintWriter out;
        private boolean first = true;
        private long count;

        JsonArray(java.io.PrintWriter out) {
            this.out = out;
            out.write("[");
        }

        void add(Object element) {
            String text = dev.mmh.json.Json.write(element);
            out.write(first ? "\n  " : ",\n  ");
            first = false;
            // indent the element's lines by one level: the array's
            out.write(text.substring(0, text.length() - 1).replace("\n", "\n  "));
            if (++count % 4096 == 0) {
                out.flush();
            }
        }

        void end() {
            out.write(first ? "]\n" : "\n]\n");
            out.flush();
        }
    }
}
