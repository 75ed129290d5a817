package dev.mmh.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up without picocli for the two commands that are run over and over on many files and whose work can be
 * shorter than the JVM's start: {@code mmh repair} and {@code mmh verify}. Building picocli's model of a command
 * reflects over its annotations and spins a proxy class for each annotation type, which costs more wall time
 * (measured 60-85 ms) than checking a 100 MB archive. For a plain command line (the command, the options below, and
 * files) this class fills in the same command object picocli would and calls it; any other command line (help,
 * grouped short options, {@code --}, a file named like an option, an unknown option, a missing or malformed value)
 * is left to picocli, which parses it and prints its usage errors. {@code QuickArgsTest} checks that both parsers
 * give the same fields for the command lines this one accepts.
 *
 * <p>Accepted: {@code -q}/{@code --quiet}, {@code -v}/{@code --verbose}, {@code -T N}/{@code --threads N}/{@code
 * --threads=N} (N in 0..9999); for repair also {@code -f}/{@code --force} and {@code -o OUT}/{@code --output OUT}/
 * {@code --output=OUT}; files are arguments that do not start with {@code -}. Repair takes one file, verify one
 * or more.
 */
final class QuickArgs {
    private QuickArgs() {
    }

    private static final java.util.Map<String, String> LONG_TO_SHORT = java.util.Map.of("--quiet", "-q",
            "--verbose", "-v", "--threads", "-T", "--force", "-f", "--output", "-o");

    /** Runs the command line if it is one this class parses, and returns its exit code; else {@code null}. */
    static Integer tryRun(String[] args, PrintWriter out, PrintWriter err) {
        Object cmd = parse(args);
        if (cmd == null) {
            return null;
        }
        try {
            if (cmd instanceof RepairCommand r) {
                r.out = out;
                r.err = err;
                return r.call();
            }
            VerifyCommand v = (VerifyCommand) cmd;
            v.out = out;
            v.err = err;
            return v.call();
        } catch (RuntimeException | Error e) {
            return Main.lastResort(err, e);
        }
    }

    /** The command object for {@code args} (a {@link RepairCommand} or {@link VerifyCommand}), or {@code null}. */
    static Object parse(String[] args) {
        if (args.length < 2) {
            return null;
        }
        boolean repair = args[0].equals("repair");
        if (!repair && !args[0].equals("verify") && !args[0].equals("t") && !args[0].equals("test")) {
            return null;
        }
        Common common = new Common();
        List<Path> files = new ArrayList<>();
        Path output = null;
        boolean force = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-")) {
                    files.add(Path.of(a));
                    continue;
                }
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                // picocli rejects an option given twice; leave that, and its message, to it
                if (!seen.add(name.length() == 2 ? name : LONG_TO_SHORT.getOrDefault(name, name))) {
                    return null;
                }
                switch (a) {
                    case "-q", "--quiet" -> common.quiet = true;
                    case "-v", "--verbose" -> common.verbose(true);
                    case "-T", "--threads" -> {
                        if (++i == args.length || (common.threads = threads(args[i])) < 0) {
                            return null;
                        }
                    }
                    case "-f", "--force" -> {
                        if (!repair) {
                            return null;
                        }
                        force = true;
                    }
                    case "-o", "--output" -> {
                        if (!repair || ++i == args.length || args[i].startsWith("-")) {
                            return null;
                        }
                        output = Path.of(args[i]);
                    }
                    default -> {
                        if (a.startsWith("--threads=")) {
                            if ((common.threads = threads(a.substring(10))) < 0) {
                                return null;
                            }
                        } else if (repair && a.startsWith("--output=") && a.length() > 9) {
                            output = Path.of(a.substring(9));
                        } else {
                            return null;
                        }
                    }
                }
            }
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (repair) {
            if (files.size() != 1) {
                return null;
            }
            RepairCommand r = new RepairCommand();
            r.file = files.get(0);
            r.output = output;
            r.force = force;
            r.common = common;
            return r;
        }
        if (files.isEmpty()) {
            return null;
        }
        VerifyCommand v = new VerifyCommand();
        v.files = files;
        v.common = common;
        return v;
    }

    /** A thread count in 0..9999 written as plain digits, else -1. */
    private static int threads(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }
}
