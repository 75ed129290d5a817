package dev.mmh.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds {@link BenchInput}s from paths and generators, reporting unreadable and empty ones to {@link Problems}. */
public final class Inputs {
    /** Smallest and largest file of the small-files set, in bytes. */
    public static final int SMALL_MIN = 1024;
    public static final int SMALL_MAX = 16 * 1024;

    private final Problems problems;

    public Inputs(Problems problems) {
        this.problems = problems;
    }

    /**
     * A file (one input), or a folder: all regular files below it, as one input, or one input per file when
     * {@code perFile} is set. Unreadable files, missing paths and folders without files are reported as failures
     * and left out.
     */
    public List<BenchInput> fromPath(Path path, String name, boolean perFile) {
        if (Files.isDirectory(path)) {
            List<Path> paths;
            try (Stream<Path> s = Files.walk(path)) {
                paths = s.filter(p -> !Files.isDirectory(p)).sorted().collect(Collectors.toList());
            } catch (IOException | java.io.UncheckedIOException e) {
                problems.fail("cannot list folder " + path + ": " + e.getMessage());
                return List.of();
            }
            List<BenchInput.File> files = new ArrayList<>();
            for (Path p : paths) {
                hashed(p).ifPresent(files::add);
            }
            if (files.isEmpty()) {
                problems.fail("folder " + path + " has no readable files" + (paths.isEmpty() ? " (it is empty)" : ""));
                return List.of();
            }
            if (!perFile) {
                return List.of(new BenchInput(name, path.toString(), files));
            }
            List<BenchInput> out = new ArrayList<>();
            for (BenchInput.File f : files) {
                out.add(new BenchInput(name + "/" + path.relativize(f.path()), f.path().toString(), List.of(f)));
            }
            return out;
        }
        if (!Files.exists(path)) {
            problems.fail("no such file or folder: " + path);
            return List.of();
        }
        return hashed(path).map(f -> List.of(new BenchInput(name, path.toString(), List.of(f)))).orElse(List.of());
    }

    private java.util.Optional<BenchInput.File> hashed(Path p) {
        if (!Files.isRegularFile(p)) {
            problems.note("skipped " + p + ": not a regular file");
            return java.util.Optional.empty();
        }
        try {
            HashingSink h = HashingSink.of(p);
            return java.util.Optional.of(new BenchInput.File(p, h.count(), h.hash()));
        } catch (IOException e) {
            problems.fail("cannot read " + p + ": " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * Generated data of one kind, written (streamed, in bounded memory) into {@code dir} when its turn comes, so that
     * every tool reads the same file from the page cache, and deleted after it was measured.
     */
    public Bench.Source generated(DataKind kind, long size, long seed, Path dir) {
        String name = "gen-" + kind.label() + "-" + Sizes.label(size);
        Path file = dir.resolve(name + "-seed" + seed + ".bin");
        return new Bench.Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public BenchInput open() throws IOException {
                BenchInput.File f = write(file, DataGenerator.open(kind, size, seed));
                return new BenchInput(name, "generated " + kind.label() + ", " + size + " bytes, seed " + seed, List.of(f));
            }

            @Override
            public void close() {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // the scratch folder is removed at the end anyway
                }
            }
        };
    }

    /**
     * A folder of {@code count} small files (between {@link #SMALL_MIN} and {@link #SMALL_MAX} bytes) of mostly text
     * and records, deterministic from the seed, measured as one set.
     */
    public BenchInput smallFiles(int count, long seed, Path dir) throws IOException {
        Path folder = dir.resolve("small-files-" + count + "-seed" + seed);
        Files.createDirectories(folder);
        DataKind[] kinds = {DataKind.TEXT, DataKind.TEXT, DataKind.TEXT, DataKind.BINARY, DataKind.BINARY,
            DataKind.FLOAT, DataKind.PERIODIC, DataKind.RANDOM};
        SplitMix64 r = new SplitMix64(seed ^ 0x5A11F11E5L);
        List<BenchInput.File> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DataKind kind = kinds[r.nextInt(kinds.length)];
            int size = SMALL_MIN + r.nextInt(SMALL_MAX - SMALL_MIN + 1);
            Path file = folder.resolve(String.format("f%05d.%s", i, kind.label()));
            files.add(write(file, DataGenerator.open(kind, size, r.nextLong())));
        }
        return new BenchInput("small-files-" + count, count + " generated files of " + SMALL_MIN + ".." + SMALL_MAX
                + " bytes, seed " + seed, files);
    }

    private static BenchInput.File write(Path file, InputStream data) throws IOException {
        HashingSink h = new HashingSink();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = data; OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                h.write(buf, 0, n);
            }
        }
        return new BenchInput.File(file, h.count(), h.hash());
    }
}
