package dev.mmh.cli;

import dev.mmh.cli.CommandDef.Opt;
import dev.mmh.cli.CommandDef.Param;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Start-up without picocli for the commands that are run over and over, often on inputs that take less time to
 * process than the JVM takes to start ({@code compress}, {@code decompress}, {@code verify}, {@code repair},
 * {@code encrypt}, {@code decrypt}: the {@link CommandDef#quick() quick} ones of {@link Commands}). Picocli, even
 * with a model built from {@link Commands} without annotations, costs about 30 ms of CPU at start-up (its classes'
 * initialisation, the model, the parse): more than compressing 5 MB. For a plain command line this class parses the
 * arguments by the same definitions picocli's model is built from, into the same {@link Args} the command is made
 * from, and runs the command; it costs about 2 ms.
 *
 * <p>A plain command line is the command's name or alias, then in any order: options of that command (a long
 * option's value attached with {@code =} or in the next argument, a short option's attached or in the next argument,
 * an optional value only attached with {@code =}), file names (including {@code -}), and {@code --}, after which
 * everything is a file name. Everything else is left to picocli, which parses it and prints its usage errors: help,
 * grouped short options ({@code -qf}), an unknown option, a missing value or one that starts with {@code -}, a value
 * the option's {@link CommandDef.Value#quick(String) quick conversion} does not take (such as {@code -l -3}), an option
 * given twice (except those made to be repeated, such as {@code -r}: their values are listed in order), a wrong
 * number of files, a required option left out. {@code QuickArgsTest} checks, for every option of every quick command
 * in every spelling, that both parsers make the same command object.
 *
 * <p>A command that finds its options inconsistent before doing anything (say {@code --fast --max}) calls
 * {@link #usage}, which in a quick run hands the whole command line to picocli too, so usage errors read the same
 * either way.
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

    /** Runs the command line if it is one this class parses, and returns its exit code; else {@code null}. */
    static Integer tryRun(String[] args, PrintWriter out, PrintWriter err) {
        Args a = parseArgs(args);
        if (a == null) {
            return null;
        }
        a.out = out;
        a.err = err;
        try {
            return Commands.create(a).call();
        } catch (Unparsed u) {
            return null;
        } catch (Exception | Error e) {
            return Main.lastResort(err, e);
        }
    }

    /** The command object for {@code args}, made as picocli would make it, or {@code null} to leave it to picocli. */
    static Callable<Integer> parse(String[] args) {
        Args a = parseArgs(args);
        return a == null ? null : Commands.create(a);
    }

    /** What {@code args} gives its command, as picocli would parse it, or {@code null} to leave it to picocli. */
    private static Args parseArgs(String[] args) {
        CommandDef def = null;
        for (CommandDef d : args.length > 0 ? Commands.ALL : List.<CommandDef>of()) {
            if (d.quick() && d.isCalled(args[0])) {
                def = d;
            }
        }
        if (def == null) {
            return null;
        }
        Args given = new Args(def);
        List<Object> files = new ArrayList<>();
        Param p = def.param();
        boolean endOfOptions = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (endOfOptions || a.equals("-") || !a.startsWith("-")) {
                Object v = p == null ? null : p.value().quick(a);
                if (v == null) {
                    return null;
                }
                files.add(v);
                continue;
            }
            if (a.equals("--")) {
                endOfOptions = true;
                continue;
            }
            String name;
            String value;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                name = eq < 0 ? a : a.substring(0, eq);
                value = eq < 0 ? null : a.substring(eq + 1);
            } else {
                // -T2, -oOUT: a short option with its value attached (grouped flags such as -qf end up here too, and
                // go to picocli: -q takes no value; so does -T=2, whose = picocli drops)
                name = a.length() > 2 ? a.substring(0, 2) : a;
                value = a.length() > 2 ? a.substring(2) : null;
                if (value != null && value.startsWith("=")) {
                    return null;
                }
            }
            Opt<?> o = option(def, name);
            boolean repeatable = o != null && o.value() == CommandDef.Value.STRINGS;
            if (o == null || given.values.containsKey(o) && !repeatable) {
                return null; // picocli rejects an option given twice; leave that, and its message, to it
            }
            Object v;
            if (o.value() == null) {
                if (value != null) {
                    return null;
                }
                v = Boolean.TRUE;
            } else {
                if (value == null) {
                    // an optional value only when attached: picocli may take the next argument for it
                    if (o.fallback() != null || ++i == args.length) {
                        return null;
                    }
                    value = args[i];
                }
                // a value that looks like an option goes to picocli, except "-" (stdin: --from-tar -), which picocli
                // takes as a value too
                if (value.isEmpty() || value.startsWith("-") && !value.equals("-")
                        || (v = o.value().quick(value)) == null) {
                    return null;
                }
            }
            if (repeatable) {
                // each occurrence adds to the list, as picocli does for a List option
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) given.values.computeIfAbsent(o, k -> new ArrayList<>());
                list.add(v);
                continue;
            }
            given.values.put(o, v);
        }
        for (Opt<?> o : def.options()) {
            if (o.required() && !given.values.containsKey(o)) {
                return null;
            }
        }
        if (p == null ? !files.isEmpty() : files.size() < p.min() || !p.many() && files.size() > 1) {
            return null;
        }
        if (!files.isEmpty()) {
            given.params = p.many() ? files : files.get(0);
        }
        return given;
    }

    private static Opt<?> option(CommandDef def, String name) {
        for (Opt<?> o : def.options()) {
            if (o.names().contains(name)) {
                return o;
            }
        }
        return null;
    }
}
