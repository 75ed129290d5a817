package dev.mmh.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mmh} command. Its picocli model is built in code ({@link #commandLine}), as its own subcommands' are from
 * {@link Commands}: reading the annotations of a root command and of picocli's help command costs 25 ms of start-up.
 */
public final class Main implements Runnable {
    /**
     * The subcommands defined by annotations (those of the other modules, and the hidden warm-up) by every name they
     * answer to; this module's own are in {@link Commands}. When the first argument names one, only that subcommand
     * is built: picocli reflects over every option of every annotated command it is given, and doing that for all of
     * them (bench alone has dozens) would cost start-up time on every run.
     */
    private static final class Annotated {
        // in a holder, so that runs QuickArgs takes never load these commands or read their annotations (35 ms)

        /** Every one, in the order --help lists them (after {@link Commands#ALL}). */
        static final Class<?>[] SUBCOMMANDS = {GzipCommand.class, GunzipCommand.class, BenchCommand.class,
            WarmupCommand.class};

        static final Map<String, Class<?>> MAP = new LinkedHashMap<>();

        static {
            for (Class<?> c : SUBCOMMANDS) {
                Command cmd = c.getAnnotation(Command.class);
                MAP.put(cmd.name(), c);
                for (String alias : cmd.aliases()) {
                    MAP.put(alias, c);
                }
            }
        }
    }

    private CommandLine.Model.CommandSpec spec;

    /** {@code mmh} without a command. */
    @Override
    public void run() {
        Set<String> names = new LinkedHashSet<>();
        for (CommandLine c : spec.commandLine().getSubcommands().values()) {
            if (!c.getCommandSpec().usageMessage().hidden() && !c.getCommandName().equals("help")) {
                names.add(c.getCommandName());
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required ("
                + String.join(", ", names) + "); see mmh --help");
    }

    public static void main(String[] args) {
        // on the spare core, while this thread parses the command line and opens files: the JDK's security
        // providers (10-15 ms at the first digest: every archive has a SHA-256 content ID) and the codec list
        // (a ServiceLoader scan of every jar, ~10 ms at the first block), and zstd's native library (5-8 ms at the
        // first zstd block: the default codec, and what `mmh cat` of a folder archive meets)
        // (age's commands need neither: they load libmmhcrypto and OpenSSL there instead, a few ms)
        boolean age = args.length > 0 && (args[0].equals("encrypt") || args[0].equals("decrypt"));
        Thread warm = new Thread(age ? dev.mmh.crypto.CryptoContext::nativeLoadError : () -> {
            dev.mmh.hash.ContentHash.warmUpSha256();
            dev.mmh.codec.Codecs.all();
            try {
                dev.mmh.codec.Codecs.byId(dev.mmh.codec.Codecs.ZSTD).maxLevel(); // loads the library
            } catch (Exception | LinkageError absent) {
                // no zstd here: the command that needs it says so
            }
        }, "mmh-warm-up");
        warm.setDaemon(true);
        warm.start();
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs {@code mmh args} with the given streams for picocli's own messages; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Integer quick = QuickArgs.tryRun(args, out, err);
        return quick != null ? quick : commandLine(out, err, args.length > 0 ? args[0] : null).execute(args);
    }

    /** What an exception no command caught prints and returns: the last resort. */
    static int lastResort(PrintWriter err, Throwable e) {
        err.println("mmh: " + Errors.describe(e));
        if (Errors.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.of(e);
    }

    /** The whole command, every subcommand included (for help and tests). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /** The command with only the subcommand named {@code first}, or with all of them if it names none. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String first) {
        CommandDef def = null;
        for (CommandDef d : Commands.ALL) {
            if (first != null && d.isCalled(first)) {
                def = d;
            }
        }
        Class<?> only = first == null || def != null ? null : Annotated.MAP.get(first);
        boolean all = def == null && only == null;
        Main main = new Main();
        main.spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(main).name("mmh");
        main.spec.usageMessage().description(
                "Parallel, checked compression: .mmh archives with per-block checksums and a content ID.");
        CommandDef.standardHelpOptions(main.spec);
        CommandLine cl = new CommandLine(main.spec);
        if (all) {
            // mmh help [COMMAND]; only listed, and needed, when no command is named
            cl.addSubcommand(new CommandLine.HelpCommand());
        }
        for (CommandDef d : Commands.ALL) {
            if (all || d == def) {
                cl.addSubcommand(d.commandLine());
            }
        }
        if (def == null) {
            for (Class<?> c : Annotated.SUBCOMMANDS) {
                if (all || c == only) {
                    cl.addSubcommand(new CommandLine(c));
                }
            }
        }
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCode.HELP) {
            int i = line.indexOf(':');
            codes.put(line.substring(0, i), line.substring(i + 1));
        }
        apply(cl, codes);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // an argument @NAME is the file NAME, as QuickArgs and gzip read it, not a file of further arguments
        cl.setExpandAtFiles(false);
        // failures are reported by the commands themselves; this is the last resort
        cl.setExecutionExceptionHandler((e, c, parsed) -> lastResort(c.getErr(), e));
        return cl;
    }

    private static void apply(CommandLine cl, Map<String, String> codes) {
        if (cl.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
            // gzip and gunzip keep gzip's own exit codes, which they list themselves
            cl.getCommandSpec().usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(codes);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub, codes);
        }
    }
}
