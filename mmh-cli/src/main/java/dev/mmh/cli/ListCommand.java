package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.read.FolderView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh list}: the entries of a folder archive, read from its catalog only (no data block is decoded), or its
 * versions; a single-file archive lists its one file. Output is written as the walk goes (memory does not grow with
 * the number of entries). Its command line: {@link Commands#LIST}.
 */
final class ListCommand implements Callable<Integer> {
    final List<String> args;
    final boolean longListing;
    final boolean json;
    final Integer version;
    final boolean versions;

    /** -v: stack traces of errors. */
    final boolean verbose;

    /** The command line, for its keys (-i, --passphrase) when the archive is encrypted. */
    private final Keys.Options keys;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** The streams of a quick run ({@link QuickArgs}), else {@code null}. */
    final PrintWriter out;
    final PrintWriter err;

    ListCommand(Args a) {
        args = a.params();
        longListing = a.isSet(Commands.LONG_LISTING);
        json = a.isSet(Commands.LIST_JSON);
        version = a.get(Commands.ARCHIVE_VERSION);
        versions = a.isSet(Commands.VERSIONS);
        verbose = a.isSet(Commands.TRACES);
        if (verbose) {
            Errors.verbose = true;
        }
        spec = a.spec;
        keys = Keys.Options.of(a);
        out = a.out;
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter out = this.out != null ? this.out : spec.commandLine().getOut();
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        if (versions && (version != null || args.size() > 1 || longListing)) {
            throw QuickArgs.usage(spec, "--versions lists versions: it takes no PATH, --version or -l");
        }
        String name = args.get(0);
        Path file = Path.of(name);
        try {
            Files2.checkInput(file);
            if (!Folders.isFolderArchive(file)) {
                return single(file, name, out, err);
            }
            List<byte[]> paths = Folders.paths(args.subList(1, args.size()), name, err);
            if (paths == null) {
                return ExitCode.USAGE;
            }
            FolderArchive.ReadOptions ro = FolderArchive.ReadOptions.threads(1)
                    .withIdentities(Keys.identities(keys, err));
            try (FolderArchive a = Keys.unwrapped(() -> FolderArchive.open(file, ro))) {
                if (versions) {
                    listVersions(a, out);
                    return ExitCode.OK;
                }
                int n = Folders.version(a, version, name, err);
                if (n < 0) {
                    return ExitCode.USAGE;
                }
                return listEntries(a, n, paths, name, out, err);
            }
        } catch (Exception | OutOfMemoryError e) {
            out.flush();
            return Errors.report(err, name, e);
        }
    }

    private int listEntries(FolderArchive a, int n, List<byte[]> paths, String name, PrintWriter out,
            PrintWriter err) throws IOException {
        Folders.JsonArray array = json ? new Folders.JsonArray(out) : null;
        long[] count = {0};
        FolderView.Visitor v = (path, e) -> {
            if (array != null) {
                array.add(Folders.json(path, e));
            } else {
                out.write(longListing ? Folders.longLine(path, e) : Folders.shown(path, e));
                out.write('\n');
                if (++count[0] % 4096 == 0 && out.checkError()) {
                    throw new IOException("standard output: write failed (closed pipe?)");
                }
            }
        };
        int status = ExitCode.OK;
        if (paths.isEmpty()) {
            a.view(n).walk(v);
        } else {
            for (byte[] p : paths) {
                if (a.lookup(n, p) == null) {
                    out.flush();
                    err.println("mmh: " + name + ": " + Names.display(p) + ": not in the archive (version " + n + ")");
                    err.flush();
                    status = ExitCode.IO_ERROR;
                    continue;
                }
                a.view(n).walk(p, v); // a view per walk: each counts its entries against the version's
            }
        }
        if (array != null) {
            array.end();
        }
        out.flush();
        return status;
    }

    private void listVersions(FolderArchive a, PrintWriter out) {
        List<Manifest.Version> vs = a.versions();
        if (json) {
            Folders.JsonArray array = new Folders.JsonArray(out);
            for (Manifest.Version v : vs) {
                array.add(Folders.json(v));
            }
            array.end();
            return;
        }
        out.write(String.format(Locale.ROOT, "%7s  %-30s %10s %16s %16s  %s%n", "version", "date", "files", "bytes",
                "new bytes", "label"));
        for (Manifest.Version v : vs) {
            out.write(String.format(Locale.ROOT, "%7d  %-30s %10s %16s %16s  %s%n", v.number(),
                    Folders.time(v.newestSeconds(), v.newestNanos()), Report.grouped(v.files()),
                    Report.grouped(v.bytes()), Report.grouped(v.newBytes()), Names.display(v.label())));
        }
        out.flush();
    }

    /**
     * A single-file archive holds one file, stored without a name, mode or time: it is listed under the archive's
     * name without {@code .mmh}, with its size (from the index; nothing is decoded).
     */
    private int single(Path file, String name, PrintWriter out, PrintWriter err) throws IOException {
        if (versions || version != null || args.size() > 1) {
            err.println("mmh: " + name + ": not a folder archive (it holds one file, without versions or paths)");
            err.flush();
            return ExitCode.USAGE;
        }
        long size;
        try (dev.mmh.format.SeekableArchive s = dev.mmh.format.SeekableArchive.open(file)) {
            size = s.index().totalRawSize();
        }
        String f = file.getFileName().toString();
        String inner = f.endsWith(".mmh") && f.length() > 4 ? f.substring(0, f.length() - 4) : f;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", inner);
            m.put("type", "file");
            m.put("size", size);
            Folders.JsonArray array = new Folders.JsonArray(out);
            array.add(m);
            array.end();
        } else if (longListing) {
            out.write(String.format(Locale.ROOT, "%12d %s%n", size, inner));
        } else {
            out.write(inner + "\n");
        }
        out.flush();
        return ExitCode.OK;
    }
}
