package dev.mmh.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * File-system calls that Java's NIO lacks, for folder archives: the data regions of a sparse file
 * ({@code lseek} {@code SEEK_DATA}/{@code SEEK_HOLE}), the bytes a file occupies ({@code st_blocks}), and FIFOs and
 * device files ({@code mkfifo}, {@code mknod}). They run in C ({@code src/main/c/mmhfiles.c}, in mmh-core's
 * {@code libmmhcore.so}); there is no Java fallback, since NIO cannot do any of them: where the library did not load
 * (not built, another OS or CPU, or {@code -Dmmh.files.native=false}) every call throws
 * {@link UnsupportedOperationException} naming the reason, and {@link #available()} says so beforehand.
 *
 * <p>Paths are byte arrays: the raw bytes of the file name as the file system holds them (on Linux, what the JDK's
 * {@code sun.nio.fs.UnixPath} keeps), so names that are not valid UTF-8 work; a relative path is resolved against
 * the process's working directory. A path must not be empty nor hold a NUL byte ({@link IllegalArgumentException},
 * checked here before any native call). None of these calls follows a symbolic link at the end of the path.
 *
 * <p>Failures of the system calls are {@link IOException}s whose message is {@code "PATH: REASON"}, PATH shown by
 * {@link #display(byte[])} and REASON being {@code strerror}'s text: {@link NoSuchFileException} ({@code ENOENT}),
 * {@link AccessDeniedException} ({@code EACCES}, and {@code EPERM}: a device file made without the privilege to),
 * {@link FileAlreadyExistsException} ({@code EEXIST}), else {@link FileSystemException}; these are the JDK's own
 * classes, so code that already catches NIO's exceptions needs no new branch. {@link FileSystemException#getFile()}
 * is PATH, {@link FileSystemException#getReason()} is REASON.
 *
 * <p>Thread-safe: no state is kept between calls; each call opens and closes what it needs.
 */
public final class NativeFiles {
    /** Set to {@code false} to keep the native calls out (they then throw {@link UnsupportedOperationException}). */
    public static final String DISABLE_PROPERTY = "mmh.files.native";

    /** {@link #mknod}'s type for a character device: {@code S_IFCHR}, the type bits of {@code st_mode}. */
    public static final int CHAR_DEVICE = 0020000;
    /** {@link #mknod}'s type for a block device: {@code S_IFBLK}, the type bits of {@code st_mode}. */
    public static final int BLOCK_DEVICE = 0060000;
    /** The largest device major number Linux's {@code mknod} takes (12 bits). */
    public static final long MAX_MAJOR = 0xfff;
    /** The largest device minor number Linux's {@code mknod} takes (20 bits). */
    public static final long MAX_MINOR = 0xfffff;
    /**
     * The most regions {@link #dataRegions} returns (16 MiB of array): past that many, the last region runs to the
     * end of the file, holes included, so a file shredded into millions of extents costs bounded memory.
     */
    public static final int MAX_REGIONS = 1 << 20;

    /** Kinds of failure the C side reports to {@link #failure} (mmhfiles.c's KIND_*). */
    private static final int KIND_NO_SUCH_FILE = 1;
    private static final int KIND_DENIED = 2;
    private static final int KIND_EXISTS = 3;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeFiles.class, NativeLibraries.CORE,
            DISABLE_PROPERTY, () -> version() == 2);

    private NativeFiles() {
    }

    /** Whether the native calls are in use; if not, {@link #loadError()} says why and every call throws. */
    public static boolean available() {
        return LOAD_ERROR == null;
    }

    /** {@code null} when the native calls are in use, else why not. */
    public static String loadError() {
        return LOAD_ERROR;
    }

    /**
     * The data regions of a regular file, as (offset, length) pairs in bytes, in increasing order: element
     * {@code 2k} is the offset of region {@code k}, {@code 2k+1} its length. What lies between and after them is
     * holes, which read as zeros. A file without holes gives one region {@code (0, size)}, an empty file or one
     * that is all hole none. Regions are the file system's: a hole is whole blocks of it, so data written at an
     * offset inside a block starts its region at the block's start.
     *
     * <p>Walked with {@code lseek(SEEK_DATA)}/{@code lseek(SEEK_HOLE)} up to the size the file had when it was
     * opened. On a file system without support for them, Linux reports the whole file as data, and so does this
     * call (one region covering the file): holes are then found nowhere, never wrongly. At most
     * {@link #MAX_REGIONS} regions. Call {@link #allocatedBytes} first to skip the walk for a file that is not
     * sparse (allocated bytes at least its size).
     *
     * <p>Anything but a regular file (a FIFO, device, directory, socket, or a symbolic link, which is not
     * followed) is refused with a {@link FileSystemException} ({@code "PATH: not a regular file (a FIFO)"}) without
     * being opened; the name is checked again once opened ({@code O_NOFOLLOW|O_NONBLOCK|O_NOCTTY}), so a FIFO that
     * takes its place meanwhile is refused too, without blocking.
     *
     * @param path the file's name bytes (see the class comment)
     * @return a new array of {@code 2 * regions} longs
     * @throws IOException the file cannot be opened or walked, or is not a regular file
     */
    public static long[] dataRegions(byte[] path) throws IOException {
        return dataRegions(path, MAX_REGIONS);
    }

    /** {@link #dataRegions(byte[])} with another bound on the regions (tests). */
    static long[] dataRegions(byte[] path, int maxRegions) throws IOException {
        check(path);
        if (maxRegions < 1) {
            throw new IllegalArgumentException("maxRegions " + maxRegions + " < 1");
        }
        requireLoaded();
        return dataRegions0(path, maxRegions, true);
    }

    /**
     * The bytes the file occupies on its file system: {@code st_blocks * 512}, of the file itself (a symbolic link
     * is not followed). Less than the file's size for a sparse file (or a compressed one, on file systems that
     * compress); at least its size, usually, for a file without holes. Works on any kind of file.
     *
     * @param path the file's name bytes (see the class comment)
     * @throws IOException the file cannot be {@code lstat}ed
     */
    public static long allocatedBytes(byte[] path) throws IOException {
        check(path);
        requireLoaded();
        return allocatedBytes0(path);
    }

    /**
     * Makes a FIFO (named pipe), as {@code mkfifo(3)}: the permission bits {@code mode} are masked by the process's
     * umask, so set exact permissions afterwards if they matter. Never follows or replaces an existing name.
     *
     * @param path the new name's bytes (see the class comment)
     * @param mode permission bits, {@code 0} to {@code 07777}
     * @throws FileAlreadyExistsException the name exists (as anything, a dangling symbolic link included)
     * @throws IOException any other failure of {@code mkfifo}
     */
    public static void mkfifo(byte[] path, int mode) throws IOException {
        check(path);
        checkMode(path, mode);
        requireLoaded();
        mkfifo0(path, mode);
    }

    /**
     * Sets the modification time of {@code path} to the nanosecond without following a final symbolic link
     * ({@code utimensat(2)} with {@code AT_SYMLINK_NOFOLLOW}; the access time is left as it is). NIO sets a link's
     * time with {@code lutimes}, which keeps only microseconds.
     *
     * @param path the name's bytes (see the class comment)
     * @param seconds seconds since the epoch
     * @param nanos nanoseconds within the second, 0 to 999,999,999
     * @throws IOException any failure of {@code utimensat}
     */
    public static void setModifiedTime(byte[] path, long seconds, int nanos) throws IOException {
        check(path);
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException(display(path) + ": " + nanos + " is not a count of nanoseconds");
        }
        requireLoaded();
        setModifiedTime0(path, seconds, nanos);
    }

    /**
     * Makes a character or block device file, as {@code mknod(2)}: the permission bits {@code mode} are masked by
     * the process's umask. Needs the privilege to ({@code CAP_MKNOD}, root): without it the kernel refuses with
     * {@code EPERM}, an {@link AccessDeniedException} ({@code "PATH: Operation not permitted"}). Never follows or
     * replaces an existing name.
     *
     * @param path the new name's bytes (see the class comment)
     * @param mode permission bits, {@code 0} to {@code 07777}
     * @param type {@link #CHAR_DEVICE} or {@link #BLOCK_DEVICE}
     * @param major the device's major number, {@code 0} to {@link #MAX_MAJOR}
     * @param minor the device's minor number, {@code 0} to {@link #MAX_MINOR}
     * @throws AccessDeniedException no privilege to make device files, or no write access to the folder
     * @throws FileAlreadyExistsException the name exists
     * @throws IOException any other failure of {@code mknod}
     */
    public static void mknod(byte[] path, int mode, int type, long major, long minor) throws IOException {
        check(path);
        checkMode(path, mode);
        if (type != CHAR_DEVICE && type != BLOCK_DEVICE) {
            throw new IllegalArgumentException(display(path) + ": device type 0" + Integer.toOctalString(type)
                    + " is neither CHAR_DEVICE (020000) nor BLOCK_DEVICE (060000)");
        }
        if (major < 0 || major > MAX_MAJOR || minor < 0 || minor > MAX_MINOR) {
            throw new IllegalArgumentException(display(path) + ": device " + major + ":" + minor
                    + " out of range (major 0-" + MAX_MAJOR + ", minor 0-" + MAX_MINOR + ")");
        }
        requireLoaded();
        mknod0(path, mode, type, major, minor);
    }

    /**
     * A path's bytes as text for messages: UTF-8 where valid; every byte that is not part of valid UTF-8, every
     * control character (C0, DEL, C1) byte by byte, as {@code \xNN} (two lowercase hex digits); the backslash as
     * {@code \\}. Any name thus shows on one line, and two different names never show the same.
     */
    public static String display(byte[] path) {
        StringBuilder s = new StringBuilder(path.length + 8);
        int i = 0;
        while (i < path.length) {
            int n = utf8Length(path, i);
            if (n == 0) {
                hex(s, path[i]);
                i++;
                continue;
            }
            int cp = n == 1 ? path[i] : new String(path, i, n, StandardCharsets.UTF_8).codePointAt(0);
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
                for (int k = 0; k < n; k++) {
                    hex(s, path[i + k]);
                }
            } else if (cp == '\\') {
                s.append("\\\\");
            } else {
                s.appendCodePoint(cp);
            }
            i += n;
        }
        return s.toString();
    }

    private static void hex(StringBuilder s, byte b) {
        s.append("\\x").append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code b[i]} (1 to 4), or 0 if none starts there: the
     * second byte's range depends on the first (Unicode's table of well-formed sequences), which rules out
     * overlong forms, surrogates and code points past U+10FFFF.
     */
    private static int utf8Length(byte[] b, int i) {
        int x = b[i] & 0xff;
        if (x < 0x80) {
            return 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (x >= 0xc2 && x <= 0xdf) {
            n = 2;
        } else if (x >= 0xe0 && x <= 0xef) {
            n = 3;
            if (x == 0xe0) {
                lo = 0xa0;
            } else if (x == 0xed) {
                hi = 0x9f;
            }
        } else if (x >= 0xf0 && x <= 0xf4) {
            n = 4;
            if (x == 0xf0) {
                lo = 0x90;
            } else if (x == 0xf4) {
                hi = 0x8f;
            }
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    private static void check(byte[] path) {
        Objects.requireNonNull(path, "path");
        if (path.length == 0) {
            throw new IllegalArgumentException("empty path");
        }
        for (byte b : path) {
            if (b == 0) {
                throw new IllegalArgumentException(display(path) + ": a path cannot hold a NUL byte");
            }
        }
    }

    private static void checkMode(byte[] path, int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException(display(path) + ": mode 0" + Integer.toOctalString(mode)
                    + " has bits beyond 07777");
        }
    }

    private static void requireLoaded() {
        if (LOAD_ERROR != null) {
            throw new UnsupportedOperationException("native file-system calls are not available: " + LOAD_ERROR);
        }
    }

    /** The exception for a failure the C side reports: {@code kind} (mmhfiles.c's KIND_*), strerror's bytes. */
    static IOException failure(int kind, byte[] path, byte[] reason) {
        String file = display(path);
        String why = new String(reason, StandardCharsets.UTF_8);
        return switch (kind) {
            case KIND_NO_SUCH_FILE -> new NoSuchFileException(file, null, why);
            case KIND_DENIED -> new AccessDeniedException(file, null, why);
            case KIND_EXISTS -> new FileAlreadyExistsException(file, null, why);
            default -> new FileSystemException(file, null, why);
        };
    }

    static native int version();

    /**
     * The walk, in C; {@code checkName} {@code false} skips the {@code lstat} of the name before it is opened (for
     * the tests of the open's own checks: O_NONBLOCK, then fstat).
     */
    static native long[] dataRegions0(byte[] path, int maxRegions, boolean checkName) throws IOException;

    static native long allocatedBytes0(byte[] path) throws IOException;

    static native void mkfifo0(byte[] path, int mode) throws IOException;

    static native void setModifiedTime0(byte[] path, long seconds, int nanos) throws IOException;

    static native void mknod0(byte[] path, int mode, int type, long major, long minor) throws IOException;
}
