package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.Names;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh cat}: files of a folder archive to standard output, decoding only the blocks that hold them. Every path is
 * looked up before anything is written, so a wrong path costs no partial output. A hard link gives its file's bytes;
 * a directory, a symbolic link (not followed: its target may lie outside the archive) and a special file are refused.
 * Its command line: {@link Commands#CAT}.
 */
final class CatCommand implements Callable<Integer> {
    /** Blocks of a large file are decoded on every core. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    final List<String> args;
    final Integer version;

    /** -v: stack traces of errors. */
    final boolean verbose;

    /** The command line, for its keys (-i, --passphrase) when the archive is encrypted. */
    private final Keys.Options keys;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** Where errors go in a quick run ({@link QuickArgs}), else {@code null}. */
    final PrintWriter err;

    CatCommand(Args a) {
        args = a.params();
        version = a.get(Commands.ARCHIVE_VERSION);
        verbose = a.isSet(Commands.TRACES);
        if (verbose) {
            Errors.verbose = true;
        }
        spec = a.spec;
        keys = Keys.Options.of(a);
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        String name = args.get(0);
        Path file = Path.of(name);
        try {
            Files2.checkInput(file);
            if (!Folders.isFolderArchive(file)) {
                return single(file, name, err);
            }
            List<byte[]> paths = Folders.paths(args.subList(1, args.size()), name, err);
            if (paths == null) {
                return ExitCode.USAGE;
            }
            FolderArchive.ReadOptions ro = FolderArchive.ReadOptions.threads(CORES)
                    .withIdentities(Keys.identities(keys, err));
            try (FolderArchive a = Keys.unwrapped(() -> FolderArchive.open(file, ro))) {
                int n = Folders.version(a, version, name, err);
                if (n < 0) {
                    return ExitCode.USAGE;
                }
                for (byte[] p : paths) {
                    String why = refusal(a.lookup(n, p), n);
                    if (why != null) {
                        err.println("mmh: " + name + ": " + Names.display(p) + ": " + why);
                        err.flush();
                        return ExitCode.IO_ERROR;
                    }
                }
                OutputStream out = Stdio.out();
                for (byte[] p : paths) {
                    try (InputStream in = a.read(n, p)) {
                        copy(in, out);
                    }
                }
                out.flush();
            }
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, name, e);
        }
    }

    /** Why the entry cannot be written out, or {@code null} if it can. */
    static String refusal(Entry e, int version) {
        if (e == null) {
            return "not in the archive (version " + version + ")";
        }
        return switch (e.type()) {
            case FILE, HARDLINK -> null;
            case DIRECTORY -> "is a directory (mmh list shows what it holds)";
            case SYMLINK -> "is a symbolic link to " + Names.display(e.target()) + "; mmh cat does not follow links "
                    + "(name the file it points to)";
            default -> "is a " + Folders.type(e.type()).replace('-', ' ') + ", not a file";
        };
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] b = new byte[256 << 10];
        for (int n; (n = in.read(b)) > 0; ) {
            out.write(b, 0, n);
        }
    }

    /**
     * A single-file archive holds one file, under the archive's name without {@code .mmh} (as {@code mmh list}
     * shows it): that name gives its content.
     */
    private int single(Path file, String name, PrintWriter err) throws IOException {
        String f = file.getFileName().toString();
        String inner = f.endsWith(".mmh") && f.length() > 4 ? f.substring(0, f.length() - 4) : f;
        for (String p : args.subList(1, args.size())) {
            if (!p.equals(inner) && !p.equals("./" + inner)) {
                err.println("mmh: " + name + ": " + p + ": not in the archive (a single-file archive: its one file "
                        + "is " + inner + ")");
                err.flush();
                return ExitCode.IO_ERROR;
            }
        }
        if (version != null) {
            err.println("mmh: " + name + ": not a folder archive (it has no versions)");
            err.flush();
            return ExitCode.USAGE;
        }
        OutputStream out = Stdio.out();
        for (int i = 1; i < args.size(); i++) {
            try (InputStream in = Files2.openInput(file)) {
                Mmh.decompress(in, out, DecompressOptions.builder().threads(CORES).build());
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
