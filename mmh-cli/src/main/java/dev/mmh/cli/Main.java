package dev.mmh.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mmh} command. */
@Command(name = "mmh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Parallel, checked compression: .mmh archives with per-block checksums and a content ID.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /**
     * The subcommands by every name they answer to. When the first argument names one, only that subcommand is
     * built: picocli reflects over every option of every command it is given, and doing that for all of them
     * (bench alone has dozens) would cost start-up time on every run.
     */
    private static final class ByName {
        // in a holder, so that runs QuickArgs takes never load the commands or read their annotations (35 ms)

        /** Every subcommand, in the order --help lists them. */
        static final Class<?>[] SUBCOMMANDS = {CompressCommand.class, DecompressCommand.class,
            VerifyCommand.class, InfoCommand.class, ProtectCommand.class, RepairCommand.class, AnalyzeCommand.class,
            GzipCommand.class, GunzipCommand.class, BenchCommand.class,
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (compress, decompress, "
                + "verify, info, protect, repair, analyze, gzip, gunzip, bench); see mmh --help");
    }

    public static void main(String[] args) {
        // on the spare core, while this thread parses the command line and opens files: the JDK's security
        // providers (10-15 ms at the first digest: every archive has a SHA-256 content ID) and the codec list
        // (a ServiceLoader scan of every jar, ~10 ms at the first block)
        Thread warm = new Thread(() -> {
            dev.mmh.hash.ContentHash.warmUpSha256();
            dev.mmh.codec.Codecs.all();
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
        Class<?> only = first == null ? null : ByName.MAP.get(first);
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : ByName.SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(new CommandLine(c));
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
