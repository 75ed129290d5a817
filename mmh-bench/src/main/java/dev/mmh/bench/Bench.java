package dev.mmh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every runner over every input, {@code runs} times after {@code warmup} unrecorded runs (at least one for
 * in-process runners, whose first call pays for class loading and JIT compilation). Inputs are taken one at a time;
 * for each, runs alternate: each round goes once through all runners, so drift on a shared machine spreads over all
 * tools. Every
 * compressed file is decompressed and its size and XXH64 compared with the input; a mismatch or a failing tool fails
 * that row (reported at once) and the bench goes on. Not thread-safe.
 */
public final class Bench {
    /**
     * Inputs with more files than this are not run through the mmh CLI: each file would start a JVM, which says
     * little the first few files do not and takes very long. The in-process rows measure such sets.
     */
    public static final int CLI_MAX_FILES = 64;

    private final List<Source> inputs;
    private final List<BenchInput> prepared = new ArrayList<>();
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();
    private final List<Runner> runners;
    private final int runs;
    private final int warmup;
    private final Path work;
    private final Problems problems;

    /** @param work an existing folder for the compressed files, one at a time */
    public Bench(List<Source> inputs, List<Runner> runners, int runs, int warmup, Path work, Problems problems) {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("runs must be >= 1 and warmup >= 0");
        }
        this.inputs = List.copyOf(inputs);
        this.runners = List.copyOf(runners);
        this.runs = runs;
        this.warmup = warmup;
        this.work = work;
        this.problems = problems;
    }

    /**
     * An input made ready only when its turn comes and released after it, so that generated data of many kinds
     * never needs more disk than one input at a time.
     */
    public interface Source {
        /** Name for messages before the input exists. */
        String name();

        /** Makes the input ready; null when it turned out to have nothing to measure (already reported). */
        BenchInput open() throws IOException;

        /** Releases what {@link #open} made (deletes generated files); never fails. */
        default void close() {
        }

        /** A source for an input that is already there. */
        static Source of(BenchInput in) {
            return new Source() {
                @Override
                public String name() {
                    return in.name();
                }

                @Override
                public BenchInput open() {
                    return in;
                }
            };
        }
    }

    /** Number of steps {@link #run} reports to its progress. */
    public long steps() {
        long perInput = 0;
        for (Runner r : runners) {
            perInput += runs + warmupOf(r);
        }
        return perInput * inputs.size();
    }

    private int warmupOf(Runner r) {
        return r.mode() == Runner.Mode.LIB ? Math.max(warmup, 1) : warmup;
    }

    /** Runs the bench; rows are in input order, then runner order. */
    public List<Row> run(BenchProgress progress) {
        List<Row> rows = new ArrayList<>();
        int firstRound = -Math.max(warmup, runners.stream().mapToInt(this::warmupOf).max().orElse(0));
        for (Source source : inputs) {
            BenchInput in;
            try {
                in = source.open();
            } catch (IOException e) {
                problems.fail("cannot prepare input " + source.name() + ": " + e.getMessage());
                continue;
            }
            if (in == null) {
                continue;
            }
            in = uniqueName(in);
            prepared.add(in);
            try {
                List<Row> inputRows = new ArrayList<>();
                boolean skippedCli = false;
                for (Runner r : runners) {
                    Row row = Row.of(in, r);
                    if (r.mode() == Runner.Mode.CLI && in.files().size() > CLI_MAX_FILES) {
                        row.skip(in.files().size() + " files would start " + in.files().size() + " JVMs each way");
                        skippedCli = true;
                    }
                    inputRows.add(row);
                }
                if (skippedCli) {
                    problems.note("mmh cli rows skipped on " + in.name() + ": more than " + CLI_MAX_FILES
                            + " files (one JVM each); the lib rows measure mmh on it");
                }
                rows.addAll(inputRows);
                for (int round = firstRound; round < runs; round++) {
                    for (int i = 0; i < runners.size(); i++) {
                        Runner r = runners.get(i);
                        Row row = inputRows.get(i);
                        if (round < -warmupOf(r)) {
                            continue;
                        }
                        progress.step(r.label() + " " + in.name());
                        if (row.failure() != null || row.skipped() != null) {
                            continue;
                        }
                        try {
                            Sample s = measure(r, in);
                            if (round >= 0) {
                                row.add(s);
                            }
                        } catch (IOException e) {
                            row.fail(e.getMessage());
                            problems.fail(r.label() + " on " + in.name() + ": " + e.getMessage());
                        }
                    }
                }
            } finally {
                source.close();
            }
        }
        return rows;
    }

    /** The inputs {@link #run} measured, in order, with the names used in the rows. */
    public List<BenchInput> inputs() {
        return List.copyOf(prepared);
    }

    /** Two inputs with the same name (two folders called data) get a numeric suffix, so tables and charts stay apart. */
    private BenchInput uniqueName(BenchInput in) {
        String name = in.name();
        for (int n = 2; !usedNames.add(name); n++) {
            name = in.name() + "-" + n;
        }
        return name.equals(in.name()) ? in : new BenchInput(name, in.origin(), in.files());
    }

    /** One run of one runner over all files of one input. */
    Sample measure(Runner r, BenchInput in) throws IOException {
        long compressed = 0;
        Measure c = Measure.ZERO;
        Measure d = Measure.ZERO;
        Path out = work.resolve("compressed.tmp");
        try {
            for (BenchInput.File f : in.files()) {
                Files.deleteIfExists(out);
                c = c.plus(r.compress(f.path(), out));
                compressed += Files.size(out);
                HashingSink back = new HashingSink();
                d = d.plus(r.decompress(out, back));
                if (back.count() != f.size() || back.hash() != f.hash()) {
                    throw new StepFailedException(String.format(Locale.ROOT,
                            "ROUND TRIP MISMATCH on %s: decompressed output is not the input"
                                    + " (%d bytes, xxh64 %016x; expected %d bytes, xxh64 %016x)",
                            f.path(), back.count(), back.hash(), f.size(), f.hash()));
                }
            }
        } finally {
            Files.deleteIfExists(out);
        }
        return new Sample(compressed, c, d);
    }
}
