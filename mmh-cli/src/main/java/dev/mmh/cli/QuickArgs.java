package dev.mmh.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * Start-up without picocli for the commands that are run over and over, often on inputs that take less time to
 * process than the JVM takes to start: {@code compress}, {@code decompress}, {@code verify} and {@code repair}.
 * Building picocli's model of a command reflects over its annotations and spins a proxy class for each annotation
 * type: measured 60-100 ms of wall time, more than compressing 20 MB. For a plain command line (the command, the
 * options below, and files) this class fills in the same command object picocli would and calls it; any other
 * command line (help, grouped short options, {@code --}, {@code -} for stdin, a value that starts with {@code -}, an
 * unknown option, a missing or malformed value, an option given twice) is left
 * to picocli, which parses it and prints its usage errors. A command that finds its options inconsistent before
 * doing anything (say {@code --fast --max}) calls {@link #usage}, which in a quick run hands the whole command line
 * to picocli too, so usage errors read the same either way. {@code QuickArgsTest} checks that both parsers give the
 * same fields for the command lines this one accepts.
 *
 * <p>Accepted by every command: {@code -q}/{@code --quiet}, {@code -v}/{@code --verbose}, {@code -T N}/{@code
 * --threads N} (N in 0..9999). Compress and decompress: {@code -o OUT}, {@code -c}/{@code --stdout}, {@code
 * -f}/{@code --force}, {@code -k}/{@code --keep}, {@code --rm}; compress also {@code --fast}, {@code --max},
 * {@code --extreme}, {@code --codec NAME}, {@code -l N}/{@code --level N} (N >= 0), {@code -B SIZE}/{@code
 * --block-size SIZE}, {@code --recovery PCT}, {@code --hash ALG}. Repair: {@code -f}, {@code -o OUT}. A long option's
 * value may also follow an {@code =}, a short option's be attached ({@code -T2}). Repair takes one file, verify one or more, compress and decompress any number.
 */
final class QuickArgs {
    private QuickArgs() {
    }

    /** Thrown by {@link #usage} in a quick run: the command line goes to picocli, which reports the error. */
    static final class Unparsed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unparsed() {
            super(null, null, false, false);
        }
    }

    /**
     * What a command throws for options that do not go together: picocli's usage error when picocli runs it, else
     * (a quick run, {@code spec == null}) an {@link Unparsed} that sends the command line to picocli.
     */
    static RuntimeException usage(CommandLine.Model.CommandSpec spec, String message) {
        return spec != null ? new CommandLine.ParameterException(spec.commandLine(), message) : new Unparsed();
    }

    private static final int COMPRESS = 1;
    private static final int DECOMPRESS = 2;
    private static final int VERIFY = 4;
    private static final int REPAIR = 8;
    private static final int ALL = COMPRESS | DECOMPRESS | VERIFY | REPAIR;

    /** An option: its canonical name, whether it takes a value, and the commands that have it. */
    private record Opt(String name, boolean value, int commands) {
    }

    private static final Map<String, Opt> OPTIONS = new HashMap<>();

    private static void opt(String shortName, String longName, boolean value, int commands) {
        Opt o = new Opt(longName, value, commands);
        if (shortName != null) {
            OPTIONS.put(shortName, o);
        }
        OPTIONS.put(longName, o);
    }

    static {
        opt("-q", "--quiet", false, ALL);
        opt("-v", "--verbose", false, ALL);
        opt("-T", "--threads", true, ALL);
        opt("-f", "--force", false, COMPRESS | DECOMPRESS | REPAIR);
        opt("-o", "--output", true, COMPRESS | DECOMPRESS | REPAIR);
        opt("-c", "--stdout", false, COMPRESS | DECOMPRESS);
        opt("-k", "--keep", false, COMPRESS | DECOMPRESS);
        opt(null, "--rm", false, COMPRESS | DECOMPRESS);
        opt(null, "--fast", false, COMPRESS);
        opt(null, "--max", false, COMPRESS);
        opt(null, "--extreme", false, COMPRESS);
        opt(null, "--codec", true, COMPRESS);
        opt("-l", "--level", true, COMPRESS);
        opt("-B", "--block-size", true, COMPRESS);
        opt(null, "--recovery", true, COMPRESS);
        opt(null, "--hash", true, COMPRESS);
    }

    /** Runs the command line if it is one this class parses, and returns its exit code; else {@code null}. */
    static Integer tryRun(String[] args, PrintWriter out, PrintWriter err) {
        Object cmd = parse(args);
        if (cmd == null) {
            return null;
        }
        try {
            if (cmd instanceof CompressCommand c) {
                c.err = err;
                return c.call();
            }
            if (cmd instanceof DecompressCommand d) {
                d.err = err;
                return d.call();
            }
            if (cmd instanceof RepairCommand r) {
                r.out = out;
                r.err = err;
                return r.call();
            }
            VerifyCommand v = (VerifyCommand) cmd;
            v.out = out;
            v.err = err;
            return v.call();
        } catch (Unparsed u) {
            return null;
        } catch (RuntimeException | Error e) {
            return Main.lastResort(err, e);
        }
    }

    /** The command object for {@code args}, filled in as picocli would, or {@code null} to leave it to picocli. */
    static Object parse(String[] args) {
        if (args.length < 1) {
            return null;
        }
        int command = switch (args[0]) {
            case "compress", "c" -> COMPRESS;
            case "decompress", "d", "x" -> DECOMPRESS;
            case "verify", "t", "test" -> VERIFY;
            case "repair" -> REPAIR;
            default -> 0;
        };
        if (command == 0) {
            return null;
        }
        List<String> files = new ArrayList<>();
        Map<String, String> given = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                files.add(a);
                continue;
            }
            String name;
            String value;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                name = eq < 0 ? a : a.substring(0, eq);
                value = eq < 0 ? null : a.substring(eq + 1);
            } else {
                // -T2, -oOUT: a short option with its value attached (grouped flags such as -qf end up here too,
                // and go to picocli: -q takes no value)
                name = a.length() > 2 ? a.substring(0, 2) : a;
                value = a.length() > 2 ? a.substring(2) : null;
            }
            Opt o = OPTIONS.get(name);
            if (o == null || (o.commands & command) == 0) {
                return null;
            }
            if (o.value) {
                if (value == null) {
                    if (++i == args.length) {
                        return null;
                    }
                    value = args[i];
                }
                if (value.isEmpty() || value.startsWith("-")) {
                    return null;
                }
            } else if (value != null) {
                return null;
            }
            // picocli rejects an option given twice; leave that, and its message, to it
            if (given.put(o.name, value == null ? "" : value) != null) {
                return null;
            }
        }
        try {
            return build(command, files, given);
        } catch (RuntimeException e) {
            // a malformed number, size or path: picocli says what is wrong with it
            return null;
        }
    }

    private static Object build(int command, List<String> files, Map<String, String> given) {
        Common common = new Common();
        common.quiet = given.containsKey("--quiet");
        if (given.containsKey("--verbose")) {
            common.verbose(true);
        }
        if (given.containsKey("--threads") && (common.threads = digits(given.get("--threads"), 4)) < 0) {
            return null;
        }
        Path output = given.containsKey("--output") ? Path.of(given.get("--output")) : null;
        boolean force = given.containsKey("--force");
        switch (command) {
            case REPAIR -> {
                if (files.size() != 1) {
                    return null;
                }
                RepairCommand r = new RepairCommand();
                r.file = Path.of(files.get(0));
                r.output = output;
                r.force = force;
                r.common = common;
                return r;
            }
            case VERIFY -> {
                if (files.isEmpty()) {
                    return null;
                }
                VerifyCommand v = new VerifyCommand();
                List<Path> paths = new ArrayList<>();
                for (String f : files) {
                    paths.add(Path.of(f));
                }
                v.files = paths;
                v.common = common;
                return v;
            }
            default -> {
                OutputOptions dest = new OutputOptions();
                dest.output = output;
                dest.force = force;
                dest.stdout = given.containsKey("--stdout");
                dest.keep = given.containsKey("--keep");
                dest.remove = given.containsKey("--rm");
                List<String> names = files.isEmpty() ? null : files;
                for (String f : files) {
                    Path.of(f); // picocli's String parameters take any name; a quick run must be able to open it
                }
                if (command == DECOMPRESS) {
                    DecompressCommand d = new DecompressCommand();
                    d.files = names;
                    d.dest = dest;
                    d.common = common;
                    return d;
                }
                CompressCommand c = new CompressCommand();
                c.files = names;
                c.dest = dest;
                c.common = common;
                c.fast = given.containsKey("--fast");
                c.max = given.containsKey("--max");
                c.extreme = given.containsKey("--extreme");
                c.codec = given.get("--codec");
                if (given.containsKey("--level")) {
                    c.level = digits(given.get("--level"), 9);
                    if (c.level < 0) {
                        return null;
                    }
                }
                if (given.containsKey("--block-size")) {
                    c.blockSize = SizeConverter.parse(given.get("--block-size"));
                }
                c.recovery = given.get("--recovery");
                if (given.containsKey("--hash")) {
                    c.hash = given.get("--hash");
                }
                return c;
            }
        }
    }

    /** A number of at most {@code max} plain digits, else -1. */
    private static int digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
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
