package dev.mmh.bench;

import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmh bench}: measures mmh (in-process and whole-process) and the system's compressors side by side on the
 * user's files, the project's corpus, generated data and a folder of small files. Exit code 0 when every step
 * succeeded, 1 when anything failed (an unreadable input, a crashing or missing tool, a round trip that does not give
 * the input back, the corpus asked for is absent), 2 on a usage error.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Benchmark mmh against the system's compressors (zstd, lz4, xz, gzip, pigz, libdeflate-gzip,"
                + " brotli, bzip2) on your data, the corpus or generated data.",
            "Every compressed output is decompressed and compared with the input. MB/s = 10^6 bytes/s."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every measurement succeeded", "1:something failed (input, corpus, tool, round trip); see stderr",
            "2:usage error (unknown option, codec, tool or corpus set)"})
public final class BenchCommand implements Callable<Integer> {
    /** Highest level of mmh's gzip engine (libdeflate's scale). */
    static final int GZIP_MAX_LEVEL = 12;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or folders to measure. A folder is one input: each file compressed on its own, totals reported.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "SET", split = ",",
            description = "Corpus sets: silesia, canterbury, calgary, snappy, weights, mixed, all.")
    List<String> corpus = new ArrayList<>();

    @Option(names = "--corpus-source", paramLabel = "DIR",
            description = "The corpus folder (with unpack.sh); default $MMH_CORPUS_SOURCE, then ../shared/corpus.")
    Path corpusSource;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where the corpus is unpacked (default ~/.cache/mmh/corpus).")
    Path cache;

    @Option(names = "--tier", paramLabel = "SIZE", split = ",",
            description = "Generated data of this size: 1M, 10M, 100M, 1G, 10G or a byte count (decimal units).")
    List<String> tiers = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", split = ",",
            description = "Kinds of generated data: text, binary, float, periodic, random, mix or all (default all).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--small-files", paramLabel = "COUNT",
            description = "Also measure a folder of COUNT generated files of 1..16 KiB, as a set.")
    int smallFiles;

    @Option(names = "--per-file", description = "Measure each file of a folder or corpus set as its own input.")
    boolean perFile;

    @Option(names = "--codecs", paramLabel = "CODEC[:LEVELS]", arity = "1..*",
            description = "Codecs and levels, e.g. zstd:1,3,19 lz4 xz:6 gzip:1..9 (gzip = deflate family),"
                    + " auto:fast,default,max (mmh's content-aware mode, levels 1, 2, 3). Default: auto:fast,default"
                    + " zstd:1,3,9,19 lz4:1,9 deflate:1,6,9 xz:1,6 brotli:1,5,9 bzip2:9.")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--tools", paramLabel = "LIST", split = ",",
            description = "System tools to run (default: every installed one of the chosen families; none for none).")
    List<String> tools;

    @Option(names = "--modes", paramLabel = "LIST", split = ",",
            description = "What to run: lib (mmh in-process), cli (mmh whole-process), tool (system tools). Default all.")
    List<String> modes = new ArrayList<>(List.of("lib", "cli", "tool"));

    @Option(names = "--mmh", paramLabel = "CMD", description = "The mmh command for whole-process runs (default ./mmh).")
    String mmhCommand;

    @Option(names = {"-T", "--threads"}, paramLabel = "LIST", split = ",",
            description = "Thread counts for mmh and threaded tools (default 1 and all cores).")
    List<Integer> threads;

    @Option(names = "--runs", paramLabel = "N", description = "Measured runs of each row (default 3; 1 with --quick).")
    Integer runs;

    @Option(names = "--warmup", paramLabel = "N", description = "Unrecorded runs first (default 1; 0 with --quick).")
    Integer warmup;

    @Option(names = "--quick", description = "Fewer levels, one run, all cores only; 8 MB of mixed data when no input is given.")
    boolean quick;

    @Option(names = {"-B", "--block-size"}, paramLabel = "SIZE", description = "mmh block size (default: mmh's).")
    String blockSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the report as CSV.")
    Path csv;

    @Option(names = "--out", paramLabel = "DIR", description = "Write report.json, report.csv and PNG charts here.")
    Path out;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Folder for temporary files (generated data, compressed output); default the system temp folder.")
    Path work;

    @Option(names = "--step-timeout", paramLabel = "SECONDS",
            description = "Kill a tool or mmh process that runs longer than this on one file (default ${DEFAULT-VALUE}).")
    long stepTimeout = 3600;

    @Option(names = "--no-progress", description = "No progress bar (there is none anyway when stderr is not a terminal).")
    boolean noProgress;

    @CommandLine.Spec
    CommandSpec spec;

    /** The working folder paths are resolved against; tests may change it. */
    Path workingDir = Path.of("").toAbsolutePath();

    /** The environment variable lookup; tests may replace it. */
    java.util.function.Function<String, String> env = System::getenv;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Problems problems = new Problems(stderr);
        List<CodecChoice> choices;
        Set<Runner.Mode> runModes;
        long block;
        List<DataKind> dataKinds;
        List<Long> tierSizes = new ArrayList<>();
        // --codecs takes several values, so PATHs right after it land there: give existing paths back
        List<String> codecSpecs = new ArrayList<>();
        for (String c : codecs) {
            if (!CodecChoice.looksLikeSpec(c) && Files.exists(workingDir.resolve(c))) {
                paths.add(Path.of(c));
            } else {
                codecSpecs.add(c);
            }
        }
        try {
            choices = CodecChoice.parse(codecSpecs.isEmpty() ? (quick ? CodecChoice.QUICK : CodecChoice.DEFAULT) : codecSpecs);
            runModes = parseModes(modes);
            block = blockSize == null ? 0 : Sizes.parse(blockSize);
            dataKinds = parseKinds(kinds);
            for (String t : tiers) {
                tierSizes.add(Sizes.parse(t));
            }
            if (tools != null) {
                for (String t : tools) {
                    if (!t.equals("none") && ToolSpec.byName(t).isEmpty()) {
                        throw new IllegalArgumentException("unknown tool '" + t + "' (known: "
                                + String.join(", ", ToolSpec.ALL.stream().map(ToolSpec::name).toList()) + ", none)");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threadList = threads != null ? List.copyOf(new LinkedHashSet<>(threads))
                : quick ? List.of(cores) : List.copyOf(new LinkedHashSet<>(List.of(1, cores)));
        int runCount = runs != null ? runs : quick ? 1 : 3;
        int warmupCount = warmup != null ? warmup : quick ? 0 : 1;
        if (runCount < 1 || warmupCount < 0 || threadList.stream().anyMatch(t -> t < 1) || smallFiles < 0 || stepTimeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs, --threads and --step-timeout must be >= 1, --warmup and --small-files >= 0");
        }

        Path workRoot = work != null ? work : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(workRoot);
        Path scratch = Files.createTempDirectory(workRoot, "mmh-bench-");
        try {
            Inputs inputs = new Inputs(problems);
            List<Bench.Source> list = new ArrayList<>();
            for (Path p : paths) {
                Path abs = workingDir.resolve(p);
                String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
                inputs.fromPath(abs, name, perFile).forEach(in -> list.add(Bench.Source.of(in)));
            }
            if (!corpus.isEmpty()) {
                List<Path> looked = new ArrayList<>();
                Optional<Corpus> c = Corpus.locate(corpusSource == null ? null : workingDir.resolve(corpusSource),
                        env.apply(Corpus.ENV), workingDir, looked);
                if (c.isEmpty()) {
                    stderr.println("mmh bench: " + Corpus.howToGet(looked));
                    stderr.flush();
                    return 1;
                }
                List<String> sets;
                try {
                    sets = c.get().resolve(corpus);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
                Path cacheDir = cache != null ? workingDir.resolve(cache) : Corpus.defaultCache();
                try {
                    c.get().unpack(cacheDir, sets);
                } catch (IOException e) {
                    problems.fail(e.getMessage());
                }
                for (String set : sets) {
                    if (Files.isDirectory(cacheDir.resolve(set))) {
                        inputs.fromPath(cacheDir.resolve(set), set, perFile).forEach(in -> list.add(Bench.Source.of(in)));
                    }
                }
            }
            for (long size : tierSizes) {
                for (DataKind k : dataKinds) {
                    list.add(inputs.generated(k, size, seed, scratch));
                }
            }
            if (smallFiles > 0) {
                list.add(Bench.Source.of(inputs.smallFiles(smallFiles, seed, scratch)));
            }
            if (paths.isEmpty() && corpus.isEmpty() && tierSizes.isEmpty() && smallFiles == 0) {
                if (!quick) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "nothing to measure: give PATHs, --corpus SET, --tier SIZE, --small-files N or --quick");
                }
                list.add(inputs.generated(DataKind.MIX, 8_000_000, seed, scratch));
            }

            ProcessMeter meter = new ProcessMeter(scratch, stepTimeout);
            Map<String, Path> toolPaths = new LinkedHashMap<>();
            List<Runner> runners = runners(choices, runModes, threadList, block, meter, problems, toolPaths);
            Map<String, String> machine = MachineInfo.describe(toolPaths);
            if (runModes.contains(Runner.Mode.LIB) || runModes.contains(Runner.Mode.CLI)) {
                for (Codec c : Codecs.all()) {
                    machine.put("mmh codec " + c.name(), c.libraryVersion());
                }
            }
            machine.put("measuring", meter.method() + "; in-process: JVM process CPU time and VmHWM (reset per step)");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("runs", runCount + " measured, " + warmupCount + " warm-up, alternating between tools");
            settings.put("threads", threadList.toString());
            settings.put("codecs", String.join(" ", choices.stream().map(ch -> ch.family() + ":" + ch.levels()).toList()));
            settings.put("seed", Long.toString(seed));
            settings.put("modes", String.join(",", modes));
            settings.put("round-trip check", "every output decompressed and compared with the input (size and XXH64, streamed)");

            Bench bench = new Bench(list, runners, runCount, warmupCount, scratch, problems);
            List<Row> rows;
            try (Progress progress = Progress.create(bench.steps(), System.err, !noProgress)) {
                rows = bench.run(progress);
            }
            Report report = new Report(machine, settings, bench.inputs(), rows, problems.notes(), problems.failures());
            MarkdownReport.write(report, stdout);
            writeFiles(report, problems);
            return problems.failed() ? 1 : 0;
        } finally {
            deleteTree(scratch);
        }
    }

    private void writeFiles(Report report, Problems problems) {
        try {
            if (json != null) {
                Path f = workingDir.resolve(json);
                createParent(f);
                JsonReport.write(report, f);
            }
            if (csv != null) {
                Path f = workingDir.resolve(csv);
                createParent(f);
                CsvReport.write(report, f);
            }
            if (out != null) {
                Path dir = workingDir.resolve(out);
                Files.createDirectories(dir);
                JsonReport.write(report, dir.resolve("report.json"));
                CsvReport.write(report, dir.resolve("report.csv"));
                Charts.write(report, dir);
            }
        } catch (IOException e) {
            problems.fail("cannot write the report: " + e.getMessage());
        }
    }

    private static void createParent(Path f) throws IOException {
        if (f.getParent() != null) {
            Files.createDirectories(f.getParent());
        }
    }

    private List<Runner> runners(List<CodecChoice> choices, Set<Runner.Mode> runModes, List<Integer> threadList,
                                 long block, ProcessMeter meter, Problems problems, Map<String, Path> toolPaths) {
        List<Runner> runners = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        Optional<List<String>> launcher = Optional.empty();
        if (runModes.contains(Runner.Mode.CLI)) {
            launcher = MmhCli.launcher(mmhCommand, workingDir);
            if (launcher.isEmpty()) {
                problems.note("no ./mmh launcher found here or above; whole-process (cli) rows skipped (use --mmh CMD)");
            } else if (mmhCommand != null && ToolSpec.locate(launcher.get().get(0), env.apply("PATH")).isEmpty()
                    && !Files.isExecutable(workingDir.resolve(launcher.get().get(0)))) {
                problems.fail("--mmh command not found: " + launcher.get().get(0));
                launcher = Optional.empty();
            }
        }
        Set<String> families = new LinkedHashSet<>();
        choices.forEach(c -> families.add(c.family()));
                if (runModes.contains(Runner.Mode.TOOL)) {
            for (ToolSpec t : ToolSpec.ALL) {
                boolean named = tools != null && tools.contains(t.name());
                if ((tools == null || named) && families.contains(t.family())) {
                    Optional<Path> exe = t.locate(env.apply("PATH"));
                    if (exe.isPresent()) {
                        toolPaths.put(t.name(), exe.get());
                    } else if (named) {
                        problems.fail(t.name() + " is not installed (not found on PATH)");
                    } else {
                        problems.note(t.name() + " is not installed: its rows are skipped");
                    }
                }
            }
        }
        Set<String> noted = new HashSet<>();
        for (CodecChoice choice : choices) {
            boolean auto = choice.family().equals(CodecChoice.AUTO);
            Codec codec = mmhCodec(choice.family());
            if (codec == null && !auto && (runModes.contains(Runner.Mode.LIB) || runModes.contains(Runner.Mode.CLI))
                    && noted.add(choice.family())) {
                problems.note("mmh has no " + choice.family() + " codec in this build (codecs: " + Codecs.names() + ")");
            }
            for (int level : choice.levels()) {
                boolean mmhLevel = auto || codec != null && level >= codec.minLevel() && level <= codec.maxLevel();
                if (codec != null && !mmhLevel && noted.add(choice.family() + level)) {
                    problems.note("mmh " + choice.family() + " has no level " + level + " (" + codec.minLevel() + ".."
                            + codec.maxLevel() + ")");
                }
                for (int t : threadList) {
                    if (mmhLevel && runModes.contains(Runner.Mode.LIB)) {
                        add(runners, labels, new LibraryRunner(choice.family(), level, t, (int) Math.min(block, Integer.MAX_VALUE)));
                    }
                    if (mmhLevel && launcher.isPresent()) {
                        add(runners, labels, MmhCli.runner(launcher.get(), choice.family(), level, t, block, meter));
                    }
                    if (choice.family().equals("deflate") && level >= 1 && level <= GZIP_MAX_LEVEL) {
                        if (runModes.contains(Runner.Mode.LIB)) {
                            add(runners, labels, new GzipLibraryRunner(level, t));
                        }
                        if (launcher.isPresent()) {
                            add(runners, labels, MmhCli.gzipRunner(launcher.get(), level, t, meter));
                        }
                    }
                    for (ToolSpec spec : ToolSpec.ALL) {
                        if (spec.family().equals(choice.family()) && toolPaths.containsKey(spec.name())
                                && spec.acceptsLevel(level)) {
                            add(runners, labels, ToolRunner.system(spec, toolPaths.get(spec.name()), level,
                                    spec.threaded() ? t : 1, meter));
                        }
                    }
                }
            }
        }
        return runners;
    }

    private static void add(List<Runner> runners, Set<String> labels, Runner r) {
        if (labels.add(r.label())) {
            runners.add(r);
        }
    }

    private static Codec mmhCodec(String family) {
        try {
            return Codecs.byName(family);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Set<Runner.Mode> parseModes(List<String> names) {
        Set<Runner.Mode> set = new LinkedHashSet<>();
        for (String n : names) {
            switch (n.trim()) {
                case "lib": set.add(Runner.Mode.LIB); break;
                case "cli": set.add(Runner.Mode.CLI); break;
                case "tool": case "tools": set.add(Runner.Mode.TOOL); break;
                default: throw new IllegalArgumentException("unknown mode '" + n + "' in --modes (lib, cli, tool)");
            }
        }
        return set;
    }

    private static List<DataKind> parseKinds(List<String> names) {
        if (names.isEmpty() || names.contains("all")) {
            return List.of(DataKind.values());
        }
        List<DataKind> list = new ArrayList<>();
        for (String n : names) {
            list.add(DataKind.parse(n));
        }
        return list;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp folder left behind is not worth failing the run for
        }
    }

    /** Runs the command on its own (the mmh launcher registers it as a subcommand instead). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
