package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.read.TreeDiff;
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
 * {@code mmh diff X.mmh N M}: what changed in a folder archive from version N to version M, in path order, one line per
 * entry ({@code + path}, {@code - path}, {@code M path}, {@code m path}; directories with a trailing '/'), from
 * {@link FolderArchive#diff} (which reads only the trees that differ). Below an added or removed directory only the
 * directory is reported. Its command line: {@link Commands#DIFF}.
 */
final class DiffCommand implements Callable<Integer> {
    final List<String> args;
    final boolean json;

    /** The command line, for its keys (-i, --passphrase) when the archive is encrypted. */
    private final Keys.Options keys;

    /** Picocli's model of the command. */
    final CommandLine.Model.CommandSpec spec;

    DiffCommand(Args a) {
        args = a.params();
        json = a.isSet(Commands.LIST_JSON);
        if (a.isSet(Commands.TRACES)) {
            Errors.verbose = true;
        }
        spec = a.spec;
        keys = Keys.Options.of(a);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (args.size() != 3) {
            throw QuickArgs.usage(spec, "mmh diff takes an archive and two versions: mmh diff X.mmh N M");
        }
        int[] nm = new int[2];
        for (int i = 0; i < 2; i++) {
            try {
                nm[i] = Integer.parseInt(args.get(1 + i));
            } catch (NumberFormatException e) {
                throw QuickArgs.usage(spec, "'" + args.get(1 + i) + "' is not a version number");
            }
        }
        String name = args.get(0);
        Path file = Path.of(name);
        try {
            Files2.checkInput(file);
            if (!Folders.isFolderArchive(file)) {
                err.println("mmh: " + name + ": not a folder archive (it holds one file, without versions)");
                err.flush();
                return ExitCode.USAGE;
            }
            FolderArchive.ReadOptions ro = FolderArchive.ReadOptions.threads(1)
                    .withIdentities(Keys.identities(keys, err));
            try (FolderArchive a = Keys.unwrapped(() -> FolderArchive.open(file, ro))) {
                for (int v : nm) {
                    if (Folders.version(a, v, name, err) < 0) {
                        return ExitCode.USAGE;
                    }
                }
                Folders.JsonArray array = json ? new Folders.JsonArray(out) : null;
                long[] lines = {0};
                a.diff(nm[0], nm[1], (path, change, before, after) -> {
                    Entry e = after != null ? after : before;
                    if (array != null) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("change", change.name().toLowerCase(Locale.ROOT));
                        m.put("symbol", String.valueOf(change.symbol()));
                        m.putAll(Folders.json(path, e));
                        array.add(m);
                    } else {
                        out.write(change.symbol() + " " + Folders.shown(path, e) + "\n");
                        if (++lines[0] % 4096 == 0 && out.checkError()) {
                            throw new IOException("standard output: write failed (closed pipe?)");
                        }
                    }
                });
                if (array != null) {
                    array.end();
                }
                out.flush();
            }
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError e) {
            out.flush();
            return Errors.report(err, name, e);
        }
    }
}
