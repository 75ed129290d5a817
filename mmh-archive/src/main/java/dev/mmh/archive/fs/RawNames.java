package dev.mmh.archive.fs;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * File names as the bytes the file system holds. Java's {@link Path} turns names into strings with the platform
 * encoding, which loses every name that is not valid in it (on a UTF-8 system: names with stray bytes read back
 * as U+FFFD and can no longer be opened). On Linux the JDK's own path class keeps the bytes; when the module
 * {@code java.base/sun.nio.fs} is opened to mmh ({@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED}, which the
 * {@code mmh} launcher passes) this class reads and makes paths from bytes through it, so every name round-trips.
 * Without it, names are converted through UTF-8 and a name that does not survive the conversion is refused with
 * an {@link java.io.IOException} naming it, rather than stored or restored wrongly. Thread-safe.
 */
public final class RawNames {
    private static final Method AS_BYTES;
    private static final Constructor<?> FROM_BYTES;
    private static final String UNAVAILABLE;

    static {
        Method m = null;
        Constructor<?> c = null;
        String why = null;
        try {
            FileSystem fs = FileSystems.getDefault();
            Class<?> up = Class.forName("sun.nio.fs.UnixPath");
            if (!up.isInstance(fs.getPath("/"))) {
                throw new IllegalStateException("the default file system is not the JDK's Unix one");
            }
            m = up.getDeclaredMethod("asByteArray");
            m.setAccessible(true);
            c = up.getDeclaredConstructor(Class.forName("sun.nio.fs.UnixFileSystem"), byte[].class);
            c.setAccessible(true);
            byte[] probe = {'a', (byte) 0xff};
            if (!java.util.Arrays.equals(probe, (byte[]) m.invoke(c.newInstance(fs, (Object) probe)))) {
                throw new IllegalStateException("the JDK's path bytes did not round-trip");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            m = null;
            c = null;
            why = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        AS_BYTES = m;
        FROM_BYTES = c;
        UNAVAILABLE = why;
    }

    private RawNames() {
    }

    /** Whether names round-trip byte for byte in this JVM; if not, {@link #why()} says why. */
    public static boolean exact() {
        return AS_BYTES != null;
    }

    /** Why names do not round-trip exactly, or {@code null}. */
    public static String why() {
        return UNAVAILABLE;
    }

    /** The bytes of {@code p}'s last component (its file name). */
    public static byte[] name(Path p) throws java.io.IOException {
        Path n = p.getFileName();
        if (n == null) {
            throw new java.io.IOException(p + " has no file name");
        }
        return bytes(n);
    }

    /** The bytes of the whole path as the file system sees them. */
    public static byte[] bytes(Path p) throws java.io.IOException {
        if (AS_BYTES != null) {
            try {
                return ((byte[]) AS_BYTES.invoke(p)).clone();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        String s = p.toString();
        if (s.indexOf('\ufffd') >= 0) {
            throw new java.io.IOException(s + ": the file name is not valid UTF-8, and this JVM cannot read it "
                    + "byte for byte (run mmh through its launcher, or with --add-opens java.base/sun.nio.fs="
                    + "ALL-UNNAMED)");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code dir} with one more component whose name is {@code name} (bytes, no '/'). */
    public static Path resolve(Path dir, byte[] name) throws java.io.IOException {
        if (FROM_BYTES != null) {
            byte[] d = bytes(dir);
            // an empty path is the current folder; a path that ends with '/' is the root
            int sep = d.length == 0 || d[d.length - 1] == '/' ? 0 : 1;
            byte[] all = new byte[d.length + sep + name.length];
            System.arraycopy(d, 0, all, 0, d.length);
            if (sep == 1) {
                all[d.length] = '/';
            }
            System.arraycopy(name, 0, all, d.length + sep, name.length);
            try {
                return (Path) FROM_BYTES.newInstance(dir.getFileSystem(), all);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        String s = new String(name, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), name)) {
            throw new java.io.IOException(dev.mmh.archive.format.Names.display(name) + ": the name is not valid UTF-8, "
                    + "and this JVM cannot write it byte for byte (run mmh through its launcher, or with "
                    + "--add-opens java.base/sun.nio.fs=ALL-UNNAMED)");
        }
        return dir.resolve(s);
    }

    /** A path from bytes (absolute or relative). */
    public static Path path(byte[] bytes) throws java.io.IOException {
        if (FROM_BYTES != null) {
            try {
                return (Path) FROM_BYTES.newInstance(FileSystems.getDefault(), (Object) bytes.clone());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes)) {
            throw new java.io.IOException(dev.mmh.archive.format.Names.display(bytes) + ": not valid UTF-8");
        }
        return Path.of(s);
    }
}
