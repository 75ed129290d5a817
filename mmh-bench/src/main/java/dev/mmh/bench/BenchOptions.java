package dev.mmh.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a bench run measures and how: the values of {@code mmh bench}'s options, checked and interpreted by
 * {@link BenchRun#run}. Immutable; make one with {@link #builder()}. Sizes, codec and tool names stay text here,
 * as the user wrote them, so that a bad one is reported by the run as a usage error naming it.
 *
 * @param paths files or folders to measure (each folder one input), relative to {@code workingDir}
 * @param corpus corpus sets ({@code silesia}, ..., {@code all})
 * @param corpusSource the corpus folder with {@code unpack.sh}, or null: {@code $MMH_CORPUS_SOURCE}, then
 *     {@code ../shared/corpus}
 * @param cache where the corpus is unpacked, or null for {@code ~/.cache/mmh/corpus}
 * @param tiers sizes of generated data ({@code 1M}, {@code 10G}, a byte count; decimal units)
 * @param kinds kinds of generated data; empty for all
 * @param seed seed of the generated data
 * @param smallFiles count of generated 1..16 KiB files measured as one set, 0 for none
 * @param perFile whether each file of a folder or corpus set is its own input
 * @param codecs codec and level specs ({@code zstd:1,3}); empty for the default list
 * @param tools system tools to run, or null for every installed one of the chosen families
 * @param modes {@code lib}, {@code cli}, {@code tool}
 * @param mmhCommand the mmh command for whole-process runs, or null for {@code ./mmh}
 * @param threads thread counts, or null for 1 and all cores
 * @param runs measured runs per row, or null for 3 (1 with {@code quick})
 * @param warmup unrecorded runs first, or null for 1 (0 with {@code quick})
 * @param quick fewer levels and runs; 8 MB of mixed data when no input is given
 * @param blockSize mmh's block size as text, or null for mmh's default
 * @param json where to write the JSON report, or null
 * @param csv where to write the CSV report, or null
 * @param out folder for report.json, report.csv and charts, or null
 * @param work folder for temporary files, or null for the system's temporary folder
 * @param stepTimeout seconds after which a process that measures one file is killed
 * @param workingDir the folder relative paths are resolved against
 * @param env the environment ({@code System::getenv}): {@code PATH} and {@code MMH_CORPUS_SOURCE}
 */
public record BenchOptions(List<Path> paths, List<String> corpus, Path corpusSource, Path cache, List<String> tiers,
        List<String> kinds, long seed, int smallFiles, boolean perFile, List<String> codecs, List<String> tools,
        List<String> modes, String mmhCommand, List<Integer> threads, Integer runs, Integer warmup, boolean quick,
        String blockSize, Path json, Path csv, Path out, Path work, long stepTimeout, Path workingDir,
        Function<String, String> env) {
    public BenchOptions {
        paths = List.copyOf(paths);
        corpus = List.copyOf(corpus);
        tiers = List.copyOf(tiers);
        kinds = List.copyOf(kinds);
        codecs = List.copyOf(codecs);
        tools = tools == null ? null : List.copyOf(tools);
        modes = List.copyOf(modes);
        threads = threads == null ? null : List.copyOf(threads);
    }

    /** Defaults: nothing to measure yet, seed 1, every mode, a step timeout of an hour, this folder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the options; not thread-safe. */
    public static final class Builder {
        private List<Path> paths = List.of();
        private List<String> corpus = List.of();
        private Path corpusSource;
        private Path cache;
        private List<String> tiers = List.of();
        private List<String> kinds = List.of();
        private long seed = 1;
        private int smallFiles;
        private boolean perFile;
        private List<String> codecs = List.of();
        private List<String> tools;
        private List<String> modes = List.of("lib", "cli", "tool");
        private String mmhCommand;
        private List<Integer> threads;
        private Integer runs;
        private Integer warmup;
        private boolean quick;
        private String blockSize;
        private Path json;
        private Path csv;
        private Path out;
        private Path work;
        private long stepTimeout = 3600;
        private Path workingDir = Path.of("").toAbsolutePath();
        private Function<String, String> env = System::getenv;

        private Builder() {
        }

        // one setter per component, named after it; null where the component allows it means "the default"
        public Builder paths(List<Path> v) { paths = v; return this; }
        public Builder corpus(List<String> v) { corpus = v; return this; }
        public Builder corpusSource(Path v) { corpusSource = v; return this; }
        public Builder cache(Path v) { cache = v; return this; }
        public Builder tiers(List<String> v) { tiers = v; return this; }
        public Builder kinds(List<String> v) { kinds = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder smallFiles(int v) { smallFiles = v; return this; }
        public Builder perFile(boolean v) { perFile = v; return this; }
        public Builder codecs(List<String> v) { codecs = v; return this; }
        public Builder tools(List<String> v) { tools = v; return this; }
        public Builder modes(List<String> v) { modes = v; return this; }
        public Builder mmhCommand(String v) { mmhCommand = v; return this; }
        public Builder threads(List<Integer> v) { threads = v; return this; }
        public Builder runs(Integer v) { runs = v; return this; }
        public Builder warmup(Integer v) { warmup = v; return this; }
        public Builder quick(boolean v) { quick = v; return this; }
        public Builder blockSize(String v) { blockSize = v; return this; }
        public Builder json(Path v) { json = v; return this; }
        public Builder csv(Path v) { csv = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder work(Path v) { work = v; return this; }
        public Builder stepTimeout(long v) { stepTimeout = v; return this; }
        public Builder workingDir(Path v) { workingDir = v; return this; }
        public Builder env(Function<String, String> v) { env = v; return this; }

        public BenchOptions build() {
            return new BenchOptions(paths, corpus, corpusSource, cache, tiers, kinds, seed, smallFiles, perFile, codecs,
                    tools, modes, mmhCommand, threads, runs, warmup, quick, blockSize, json, csv, out, work,
                    stepTimeout, workingDir, env);
        }
    }
}
