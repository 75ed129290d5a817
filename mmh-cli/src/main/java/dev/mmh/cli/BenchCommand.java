package dev.mmh.cli;

import dev.mmh.bench.BenchOptions;
import dev.mmh.bench.BenchProgress;
import dev.mmh.bench.BenchRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmh bench}: the options of {@link BenchRun}, which does the work (module mmh-bench), and the progress bar.
 * Exit code 0 when every step succeeded, 1 when anything failed (an unreadable input, a crashing or missing tool, a
 * round trip that does not give the input back, the corpus asked for is absent), 2 on a usage error.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Benchmark mmh against the system's compressors (zstd, lz4, xz, gzip, pigz, libdeflate-gzip,"
                + " brotli, bzip2) on your data, the corpus or generated data.",
            "Every compressed output is decompressed and compared with the input. MB/s = 10^6 bytes/s."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every measurement succeeded", "1:something failed (input, corpus, tool, round trip); see stderr",
            "2:usage error (unknown option, codec, tool or corpus set)"})
final class BenchCommand implements Callable<Integer> {
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
    Function<String, String> env = System::getenv;

    @Override
    public Integer call() throws IOException {
        BenchOptions options = BenchOptions.builder().paths(paths).corpus(corpus).corpusSource(corpusSource)
                .cache(cache).tiers(tiers).kinds(kinds).seed(seed).smallFiles(smallFiles).perFile(perFile)
                .codecs(codecs).tools(tools).modes(modes).mmhCommand(mmhCommand).threads(threads).runs(runs)
                .warmup(warmup).quick(quick).blockSize(blockSize).json(json).csv(csv).out(out).work(work)
                .stepTimeout(stepTimeout).workingDir(workingDir).env(env).build();
        try {
            return BenchRun.run(options, spec.commandLine().getOut(), spec.commandLine().getErr(), this::progress);
        } catch (BenchRun.UsageException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The bench's steps on the one progress bar of the commands. */
    private BenchProgress progress(long steps) {
        Progress bar = Progress.steps("bench", steps, noProgress);
        return new BenchProgress() {
            @Override
            public void step(String what) {
                bar.step(what);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
