package dev.mmh.cli;

import dev.mmh.gzip.GzipInfo;
import dev.mmh.gzip.GzipOptions;
import dev.mmh.gzip.ParallelGzipInputStream;
import dev.mmh.gzip.ParallelGzipOutputStream;
import dev.mmh.gzip.TrailingGarbageException;
import dev.mmh.io.AtomicOutput;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and behaviour shared by {@code mmh gzip} and {@code mmh gunzip}: gzip's and pigz's flags, exit codes
 * 0 (success), 1 (error), 2 (warning), one line on stderr per problem naming the file (and the byte offset for
 * damaged data), stack traces only with {@code -v}; a usage error (unknown option, missing value) exits 1 too, as
 * GNU gzip's do ({@code exitCodeOnInvalidInput} on both commands). Files are written through {@link AtomicOutput},
 * like every file mmh writes: a temporary file beside the target, renamed when complete, deleted on an error and on
 * Ctrl-C; an existing file is never replaced without {@code -f}, not even one created while the output was being
 * written. Each file's progress (input bytes read) is shown by the commands' one {@link Progress} bar.
 */
abstract class GzipTool implements Callable<Integer> {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int WARNING = 2;
    private static final String[] SUFFIXES = {".gz", ".z", "-gz", "_z", ".Z"};

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;
    private int status = OK;
    int level = 6;

    @Option(names = {"-1", "--fast"}, description = "Levels -1 (fastest) .. -9 (best of zlib's scale) and -10 .. -12 (libdeflate's slower, smaller levels); default -6.")
    void l1(boolean b) {
        level = 1;
    }

    // CHECKSTYLE: one setter per level flag, because picocli cannot tell which name of one option matched
    @Option(names = "-2", hidden = true) void l2(boolean b) { level = 2; }
    @Option(names = "-3", hidden = true) void l3(boolean b) { level = 3; }
    @Option(names = "-4", hidden = true) void l4(boolean b) { level = 4; }
    @Option(names = "-5", hidden = true) void l5(boolean b) { level = 5; }
    @Option(names = "-6", hidden = true) void l6(boolean b) { level = 6; }
    @Option(names = "-7", hidden = true) void l7(boolean b) { level = 7; }
    @Option(names = "-8", hidden = true) void l8(boolean b) { level = 8; }
    @Option(names = {"-9", "--best"}, hidden = true) void l9(boolean b) { level = 9; }
    @Option(names = "-10", hidden = true) void l10(boolean b) { level = 10; }
    @Option(names = "-11", hidden = true) void l11(boolean b) { level = 11; }
    @Option(names = "-12", hidden = true) void l12(boolean b) { level = 12; }

    @Option(names = {"-c", "--stdout", "--to-stdout"}, description = "Write to standard output; keep the input files.")
    boolean toStdout;
    @Option(names = {"-d", "--decompress", "--uncompress"}, description = "Decompress.")
    boolean decompress;
    @Option(names = {"-k", "--keep"}, description = "Keep the input files.")
    boolean keep;
    @Option(names = {"-f", "--force"}, description = "Overwrite existing output files; compress files that already have the suffix.")
    boolean force;
    @Option(names = {"-t", "--test"}, description = "Test the compressed files' integrity.")
    boolean test;
    @Option(names = {"-l", "--list"}, description = "List compressed size, uncompressed size, ratio and name.")
    boolean list;
    @Option(names = {"-r", "--recursive"}, description = "Walk into folders.")
    boolean recursive;
    @Option(names = {"-p", "-T", "--processes", "--threads"}, paramLabel = "N", description = "Threads (default: all processors). Output does not depend on it.")
    Integer threads;
    @Option(names = {"-b", "--blocksize"}, paramLabel = "SIZE", description = "Block size: a number in KiB as pigz, or with a suffix B, K, M; at most 65280 bytes gives BGZF (64K means 65280). Default: 65280 at -1 and -2, 1M above.")
    String blockSize;
    @Option(names = {"-n", "--no-name"}, description = "Compress: store no name or time (the default). Decompress: ignore the stored name and time.")
    boolean noName;
    @Option(names = {"-N", "--name"}, description = "Compress: store the file name and time. Decompress: restore them.")
    boolean name;
    @Option(names = {"-S", "--suffix"}, paramLabel = "SUF", description = "Suffix of compressed files (default .gz).")
    String suffix = ".gz";
    @Option(names = {"-i", "--independent"}, description = "Independent blocks (what every level does: measured within 1%% of pigz's size, docs/GZIP.md).")
    boolean independent;
    @Option(names = {"-q", "--quiet"}, description = "No warnings.")
    boolean quiet;
    @Option(names = {"-v", "--verbose"}, description = "Name each file and its ratio; stack traces on errors.")
    boolean verbose;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;
    @Parameters(paramLabel = "FILE", description = "Files (or - for standard input); none: standard input to standard output.")
    List<String> files = new ArrayList<>();

    GzipTool() {
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), System.err);
    }

    /** For tests and embedding: the standard streams to use. */
    GzipTool(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Whether this command decompresses whatever {@code -d} says. */
    abstract boolean alwaysDecompress();

    @Override
    public Integer call() {
        boolean decode = decompress || alwaysDecompress() || test;
        GzipOptions opts;
        try {
            opts = options();
        } catch (IllegalArgumentException e) {
            stderr.println(prog() + ": " + e.getMessage());
            return ERROR;
        }
        if (files.isEmpty()) {
            files.add("-");
        }
        for (String f : files) {
            if (f.equals("-")) {
                runStdin(decode, opts);
            } else {
                runPath(Path.of(f), decode, opts, true);
            }
        }
        return status;
    }

    private String prog() {
        return alwaysDecompress() ? "mmh gunzip" : "mmh gzip";
    }

    GzipOptions options() {
        GzipOptions.Builder b = GzipOptions.builder().level(level);
        if (threads != null) {
            b.threads(threads);
        }
        if (blockSize != null) {
            b.blockSize(parseBlockSize(blockSize));
        }
        return b.build();
    }

    /** pigz's -b is in KiB; a suffix B, K or M says the unit. 64 KiB becomes BGZF's 65,280-byte block. */
    static int parseBlockSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1024;
        if (t.endsWith("B")) {
            unit = 1;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("K")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            unit = 1 << 20;
            t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad block size: " + s);
        }
        if (v == 65536) {
            return dev.mmh.gzip.GzipFormat.BGZF_MAX_BLOCK;
        }
        if (v < GzipOptions.MIN_BLOCK_SIZE || v > GzipOptions.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size must be 1K..16M, not " + s);
        }
        return (int) v;
    }

    private void warn(String msg) {
        if (status == OK) {
            status = WARNING;
        }
        if (!quiet) {
            stderr.println(prog() + ": " + msg);
        }
    }

    private void error(String file, Throwable e) {
        status = ERROR;
        String m = e.getMessage() != null ? e.getMessage() : e.toString();
        if (e instanceof java.nio.file.NoSuchFileException) {
            m = "No such file or directory";
        }
        stderr.println(prog() + ": " + file + ": " + m);
        if (verbose) {
            e.printStackTrace(stderr);
        }
    }

    private void runStdin(boolean decode, GzipOptions opts) {
        try {
            if (list) {
                warn("-l needs a file, not standard input");
                return;
            }
            if (!decode && !force && stdout instanceof FileOutputStream && Terminal.isTty(1)) {
                stderr.println(prog() + ": compressed data not written to a terminal. Use -f to force compression.");
                status = ERROR;
                return;
            }
            OutputStream out = test ? OutputStream.nullOutputStream() : stdout;
            try (Progress bar = new Progress(prog().substring(4), -1, quiet)) {
                // a FileInputStream's channel reads straight into direct buffers, Channels.newChannel 8 KiB at a time
                ReadableByteChannel in = stdin instanceof FileInputStream f ? new CountingChannel(f.getChannel(), bar)
                        : Channels.newChannel(stdin);
                if (decode) {
                    decodeStream(in, out, opts);
                } else {
                    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(nonClosing(out), opts)) {
                        gz.transferFrom(in);
                    }
                }
            }
            out.flush();
        } catch (TrailingGarbageException e) {
            warn("stdin: decompression OK, trailing garbage ignored (at offset " + e.offset() + ")");
        } catch (IOException | RuntimeException e) {
            error("stdin", e);
        }
    }

    private void runPath(Path p, boolean decode, GzipOptions opts, boolean named) {
        if (Files.isDirectory(p)) {
            if (!recursive) {
                warn(p + " is a directory -- ignored");
                return;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                ds.forEach(children::add);
            } catch (IOException e) {
                error(p.toString(), e);
                return;
            }
            children.sort(null);
            for (Path c : children) {
                runPath(c, decode, opts, false);
            }
            return;
        }
        if (!named && Files.isSymbolicLink(p)) {
            return;
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            error(p.toString(), new java.nio.file.NoSuchFileException(p.toString()));
            return;
        }
        if (!Files.isRegularFile(p)) {
            warn(p + " is not a regular file -- ignored");
            return;
        }
        try {
            if (list) {
                listFile(p);
            } else if (decode) {
                decodeFile(p, opts);
            } else {
                encodeFile(p, opts);
            }
        } catch (TrailingGarbageException e) {
            warn(p + ": decompression OK, trailing garbage ignored (at offset " + e.offset() + ")");
        } catch (IOException | RuntimeException e) {
            error(p.toString(), e);
        }
    }

    private boolean listedHeader;

    private void listFile(Path p) throws IOException {
        GzipInfo info;
        try (FileChannel ch = FileChannel.open(p)) {
            info = GzipInfo.read(ch);
        }
        if (!listedHeader) {
            stdout.write(String.format("%19s %19s %6s %s%n", "compressed", "uncompressed", "ratio",
                    "uncompressed_name").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            listedHeader = true;
        }
        double ratio = info.uncompressedSize() == 0 ? 0
                : 100.0 * (info.uncompressedSize() - info.compressedSize()) / info.uncompressedSize();
        String out = stripSuffix(p.getFileName().toString());
        Path shown = p.resolveSibling(out == null ? p.getFileName() + ".out" : out);
        stdout.write(String.format(Locale.ROOT, "%19d %19d %5.1f%% %s%n", info.compressedSize(),
                info.uncompressedSize(), ratio, shown).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stdout.flush();
    }

    private String stripSuffix(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tgz")) {
            return name.substring(0, name.length() - 4) + ".tar";
        }
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
            return name.substring(0, name.length() - suffix.length());
        }
        for (String s : SUFFIXES) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return null;
    }

    private void encodeFile(Path p, GzipOptions opts) throws IOException {
        String fileName = p.getFileName().toString();
        if (fileName.endsWith(suffix) && !force && !toStdout) {
            warn(p + " already has " + suffix + " suffix -- unchanged");
            return;
        }
        GzipOptions o = opts;
        if (name && !noName) {
            o = opts.toBuilder().name(latin1(fileName)).mtime(
                    Math.min(0xffffffffL, Math.max(0, Files.getLastModifiedTime(p).toMillis() / 1000))).build();
        }
        if (toStdout) {
            try (Progress bar = progress(p);
                    FileChannel in = new CountingChannel(FileChannel.open(p), bar);
                    ParallelGzipOutputStream gz = new ParallelGzipOutputStream(nonClosing(stdout), o)) {
                gz.transferFrom(in);
            }
            stdout.flush();
            return;
        }
        Path target = p.resolveSibling(fileName + suffix);
        long[] sizes = new long[2];
        try (AtomicOutput out = create(target)) {
            if (out == null) {
                return;
            }
            try (Progress bar = progress(p);
                    FileChannel in = new CountingChannel(FileChannel.open(p), bar);
                    ParallelGzipOutputStream gz = new ParallelGzipOutputStream(keepOpen(out.channel()), o)) {
                gz.transferFrom(in);
                gz.finish();
                sizes[0] = gz.bytesIn();
                sizes[1] = gz.bytesOut();
            }
            if (!commit(out, p, target)) {
                return;
            }
        }
        if (verbose) {
            double ratio = sizes[0] == 0 ? 0 : 100.0 * (sizes[0] - sizes[1]) / sizes[0];
            stderr.printf(Locale.ROOT, "%s:\t%5.1f%% -- %s %s%n", p, ratio, keep ? "created" : "replaced with",
                    target.getFileName());
        }
        if (!keep) {
            Files.delete(p);
        }
    }

    private static String latin1(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c > 0 && c < 256 ? c : '_');
        }
        return b.toString();
    }

    private void decodeFile(Path p, GzipOptions opts) throws IOException {
        if (test || toStdout) {
            try (Progress bar = progress(p)) {
                decodeStream(new CountingChannel(FileChannel.open(p), bar), test ? OutputStream.nullOutputStream()
                        : stdout, opts);
            }
            if (test && verbose) {
                stderr.println(p + ":\tOK");
            }
            stdout.flush();
            return;
        }
        String base = stripSuffix(p.getFileName().toString());
        if (base == null) {
            warn(p + ": unknown suffix -- ignored");
            return;
        }
        Path target = p.resolveSibling(base);
        long[] mtime = {0};
        TrailingGarbageException[] garbage = new TrailingGarbageException[1];
        if (name && !noName) {
            try (ParallelGzipInputStream in = new ParallelGzipInputStream(FileChannel.open(p), opts)) {
                String stored = in.firstName();
                mtime[0] = in.firstMtime();
                if (stored != null) {
                    String safe = Path.of(stored.replace('\\', '/')).getFileName() == null ? null
                            : Path.of(stored.replace('\\', '/')).getFileName().toString();
                    if (safe != null && !safe.isEmpty() && !safe.equals("..") && !safe.equals(".")) {
                        target = p.resolveSibling(safe);
                    }
                }
            } catch (java.nio.file.InvalidPathException e) {
                // an unusable stored name: keep the name from the file
            }
        }
        try (AtomicOutput out = create(target)) {
            if (out == null) {
                return;
            }
            try (Progress bar = progress(p);
                    ParallelGzipInputStream in = new ParallelGzipInputStream(
                            new CountingChannel(FileChannel.open(p), bar), opts)) {
                in.transferTo(out.channel());
            } catch (TrailingGarbageException e) {
                garbage[0] = e;
            }
            if (!commit(out, p, target)) {
                return;
            }
        }
        if (mtime[0] > 0) {
            Files.setLastModifiedTime(target, FileTime.fromMillis(mtime[0] * 1000));
        }
        if (verbose) {
            stderr.println(p + ":\t-- " + (keep ? "created" : "replaced with") + " " + target.getFileName());
        }
        if (garbage[0] != null) {
            // gzip keeps the data and the input when it warns about trailing garbage
            throw garbage[0];
        }
        if (!keep) {
            Files.delete(p);
        }
    }

    /** Decodes {@code in} to {@code out}; closes {@code in} (a file the caller opened, or stdin at the end). */
    private static void decodeStream(ReadableByteChannel in, OutputStream out, GzipOptions opts) throws IOException {
        try (ParallelGzipInputStream gz = new ParallelGzipInputStream(in, opts)) {
            gz.transferTo(out);
        }
    }

    /** This file's bar: its bytes, read by the compressor or decompressor. */
    private Progress progress(Path p) throws IOException {
        return new Progress(prog().substring(4), Files.size(p), quiet);
    }

    /**
     * The atomic output for {@code target}, or null (with gzip's warning) when it exists and -f is not given. A
     * target that is not a regular file (a device, a pipe) is not written even with -f: gzip would replace it, and
     * {@link AtomicOutput} would write into it.
     */
    private AtomicOutput create(Path target) throws IOException {
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && AtomicOutput.isDeviceOrPipe(target)) {
            throw new IOException(target + " is not a regular file; not replaced");
        }
        if (exists && !force) {
            warn(target + " already exists; not overwritten");
            return null;
        }
        return AtomicOutput.create(target, force);
    }

    /**
     * Gives the finished temporary file the source's permissions and modification time, as gzip does, and renames
     * it to the target. Returns false (with gzip's warning) when the target was created meanwhile and -f is not
     * given: it is not replaced.
     */
    private boolean commit(AtomicOutput out, Path source, Path target) throws IOException {
        Path tmp = out.tempFile();
        out.channel(); // everything written
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(source));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(source));
        try {
            out.commit();
            return true;
        } catch (FileAlreadyExistsException e) {
            warn(target + " already exists; not overwritten");
            return false;
        }
    }

    /** {@code ch} for a stream that closes its sink when done, without closing it: the atomic output does. */
    private static WritableByteChannel keepOpen(WritableByteChannel ch) {
        return new WritableByteChannel() {
            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                return ch.write(src);
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() {
                // the atomic output closes it at commit
            }
        };
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
