package dev.mmh.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mmh} command. */
@Command(name = "mmh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Parallel, checked compression: .mmh archives with per-block checksums and a content ID.",
        subcommands = {CompressCommand.class, DecompressCommand.class, VerifyCommand.class, InfoCommand.class,
                dev.mmh.gzip.cli.GzipCommand.class, dev.mmh.gzip.cli.GunzipCommand.class,
                ProtectCommand.class, RepairCommand.class, AnalyzeCommand.class, dev.mmh.bench.BenchCommand.class, WarmupCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (compress, decompress, "
                + "verify, info, gzip, gunzip, bench); see mmh --help");
    }

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs {@code mmh args} with the given streams for picocli's own messages; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCode.HELP) {
            int i = line.indexOf(':');
            codes.put(line.substring(0, i), line.substring(i + 1));
        }
        apply(cl, codes);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            // failures are reported by the commands themselves; this is the last resort
            c.getErr().println("mmh: " + Errors.describe(e));
            if (Errors.verbose) {
                e.printStackTrace(c.getErr());
            }
            return ExitCode.of(e);
        });
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
