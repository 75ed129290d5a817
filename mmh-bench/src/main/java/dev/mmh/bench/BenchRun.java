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
import java.util.stream.Stream;

/**
 * {@code mmh bench} as a library call: measures mmh (in-process and whole-process) and the system's compressors side
 * by side on the user's files, the project's corpus, generated data and a folder of small files, and writes the
 * reports. {@link #run} returns 0 when every step succeeded and 1 when anything failed (an unreadable input, a
 * crashing or missing tool, a round trip that does not give the input back, the corpus asked for is absent); it
 * throws {@link UsageException} for options it cannot use. The command (picocli) is {@code dev.mmh.cli.BenchCommand}.
 */
public final class BenchRun {
    /** Highest level of mmh's gzip engine (libdeflate's scale). */
    static final int GZIP_MAX_LEVEL = 12;

    /** An option value the bench cannot use (unknown codec, tool, mode or corpus set; a bad size or count). */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final BenchOptions o;
    private final Path workingDir;
    private final java.util.function.Function<String, String> env;

    private BenchRun(BenchOptions o) {
        this.o = o;
        this.workingDir = o.workingDir();
        this.env = o.env();
    }

    /**
     * Runs the bench: the Markdown report to {@code stdout}, problems as they happen to {@code stderr}, the report
     * files where the options say (each written atomically).
     *
     * @param progress given the number of steps, what to tell of each step as it starts
     * @return 0 if every step succeeded, 1 otherwise
     * @throws UsageException if an option value cannot be used (nothing was measured)
     * @throws IOException if the working folder cannot be made
     */
    public static int run(BenchOptions options, PrintWriter stdout, PrintWriter stderr,
            java.util.function.LongFunction<BenchProgress> progress) throws IOException {
        return new BenchRun(options).call(stdout, stderr, progress);
    }

    private int call(PrintWriter stdout, PrintWriter stderr, java.util.function.LongFunction<BenchProgress> progressFor)
            throws IOException {
        List<Path> paths = new ArrayList<>(o.paths());
        Problems problems = new Problems(stderr);
        List<CodecChoice> choices;
        Set<Runner.Mode> runModes;
        long block;
        List<DataKind> dataKinds;
        List<Long> tierSizes = new ArrayList<>();
        // --codecs takes several values, so PATHs right after it land there: give existing paths back
        List<String> codecSpecs = new ArrayList<>();
        for (String c : o.codecs()) {
            if (!CodecChoice.looksLikeSpec(c) && Files.exists(workingDir.resolve(c))) {
                paths.add(Path.of(c));
            } else {
                codecSpecs.add(c);
            }
        }
        try {
            choices = CodecChoice.parse(codecSpecs.isEmpty() ? (o.quick() ? CodecChoice.QUICK : CodecChoice.DEFAULT)
                    : codecSpecs);
            runModes = parseModes(o.modes());
            block = o.blockSize() == null ? 0 : Sizes.parse(o.blockSize());
            dataKinds = parseKinds(o.kinds());
            for (String t : o.tiers()) {
                tierSizes.add(Sizes.parse(t));
            }
            if (o.tools() != null) {
                for (String t : o.tools()) {
                    if (!t.equals("none") && ToolSpec.byName(t).isEmpty()) {
                        throw new IllegalArgumentException("unknown tool '" + t + "' (known: "
                                + String.join(", ", ToolSpec.ALL.stream().map(ToolSpec::name).toList()) + ", none)");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threadList = o.threads() != null ? List.copyOf(new LinkedHashSet<>(o.threads()))
                : o.quick() ? List.of(cores) : List.copyOf(new LinkedHashSet<>(List.of(1, cores)));
        int runCount = o.runs() != null ? o.runs() : o.quick() ? 1 : 3;
        int warmupCount = o.warmup() != null ? o.warmup() : o.quick() ? 0 : 1;
        if (runCount < 1 || warmupCount < 0 || threadList.stream().anyMatch(t -> t < 1) || o.smallFiles() < 0
                || o.stepTimeout() < 1) {
            throw new UsageException("--runs, --threads and --step-timeout must be >= 1, --warmup and --small-files >= 0");
        }

        Path workRoot = o.work() != null ? o.work() : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(workRoot);
        Path scratch = Files.createTempDirectory(workRoot, "mmh-bench-");
        try {
            Inputs inputs = new Inputs(problems);
            List<Bench.Source> list = new ArrayList<>();
            for (Path p : paths) {
                Path abs = workingDir.resolve(p);
                String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
                inputs.fromPath(abs, name, o.perFile()).forEach(in -> list.add(Bench.Source.of(in)));
            }
            if (!o.corpus().isEmpty()) {
                List<Path> looked = new ArrayList<>();
                Optional<Corpus> c = Corpus.locate(o.corpusSource() == null ? null : workingDir.resolve(o.corpusSource()),
                        env.apply(Corpus.ENV), workingDir, looked);
                if (c.isEmpty()) {
                    stderr.println("mmh bench: " + Corpus.howToGet(looked));
                    stderr.flush();
                    return 1;
                }
                List<String> sets;
                try {
                    sets = c.get().resolve(o.corpus());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                Path cacheDir = o.cache() != null ? workingDir.resolve(o.cache()) : Corpus.defaultCache();
                try {
                    c.get().unpack(cacheDir, sets);
                } catch (IOException e) {
                    problems.fail(e.getMessage());
                }
                for (String set : sets) {
                    if (Files.isDirectory(cacheDir.resolve(set))) {
                        inputs.fromPath(cacheDir.resolve(set), set, o.perFile()).forEach(in -> list.add(Bench.Source.of(in)));
                    }
                }
            }
            for (long size : tierSizes) {
                for (DataKind k : dataKinds) {
                    list.add(inputs.generated(k, size, o.seed(), scratch));
                }
            }
            if (o.smallFiles() > 0) {
                list.add(Bench.Source.of(inputs.smallFiles(o.smallFiles(), o.seed(), scratch)));
            }
            if (paths.isEmpty() && o.corpus().isEmpty() && tierSizes.isEmpty() && o.smallFiles() == 0) {
                if (!o.quick()) {
                    throw new UsageException(
                            "nothing to measure: give PATHs, --corpus SET, --tier SIZE, --small-files N or --quick");
                }
                list.add(inputs.generated(DataKind.MIX, 8_000_000, o.seed(), scratch));
            }

            ProcessMeter meter = new ProcessMeter(scratch, o.stepTimeout());
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
            settings.put("seed", Long.toString(o.seed()));
            settings.put("modes", String.join(",", o.modes()));
            settings.put("round-trip check", "every output decompressed and compared with the input (size and XXH64, streamed)");

            Bench bench = new Bench(list, runners, runCount, warmupCount, scratch, problems);
            List<Row> rows;
            try (BenchProgress progress = progressFor.apply(bench.steps())) {
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
            if (o.json() != null) {
                Path f = workingDir.resolve(o.json());
                createParent(f);
                JsonReport.write(report, f);
            }
            if (o.csv() != null) {
                Path f = workingDir.resolve(o.csv());
                createParent(f);
                CsvReport.write(report, f);
            }
            if (o.out() != null) {
                Path dir = workingDir.resolve(o.out());
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
            launcher = MmhCli.launcher(o.mmhCommand(), workingDir);
            if (launcher.isEmpty()) {
                problems.note("no ./mmh launcher found here or above; whole-process (cli) rows skipped (use --mmh CMD)");
            } else if (o.mmhCommand() != null && ToolSpec.locate(launcher.get().get(0), env.apply("PATH")).isEmpty()
                    && !Files.isExecutable(workingDir.resolve(launcher.get().get(0)))) {
                problems.fail("--mmh command not found: " + launcher.get().get(0));
                launcher = Optional.empty();
            }
        }
        Set<String> families = new LinkedHashSet<>();
        choices.forEach(c -> families.add(c.family()));
        if (runModes.contains(Runner.Mode.TOOL)) {
            for (ToolSpec t : ToolSpec.ALL) {
                boolean named = o.tools() != null && o.tools().contains(t.name());
                if ((o.tools() == null || named) && families.contains(t.family())) {
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
}
