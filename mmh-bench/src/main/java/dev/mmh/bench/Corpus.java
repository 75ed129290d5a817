package dev.mmh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The project's benchmark corpus: a folder with {@code unpack.sh}, {@code MANIFEST.tsv} and {@code <set>/<name>.xz}
 * (see its README). Sets are unpacked by that script into a cache folder and checked against the manifest.
 */
public final class Corpus {
    /** Environment variable naming the corpus folder. */
    public static final String ENV = "MMH_CORPUS_SOURCE";

    private final Path source;

    private Corpus(Path source) {
        this.source = source;
    }

    /**
     * Finds the corpus: {@code option} when given, else {@code $MMH_CORPUS_SOURCE}, else {@code ../shared/corpus}
     * from the working folder.
     *
     * @return the corpus, or empty with {@code looked} filled with the places tried
     */
    public static Optional<Corpus> locate(Path option, String env, Path workingDir, List<Path> looked) {
        List<Path> candidates = new ArrayList<>();
        if (option != null) {
            candidates.add(option);
        } else {
            if (env != null && !env.isBlank()) {
                candidates.add(Path.of(env));
            }
            candidates.add(workingDir.resolve("../shared/corpus").normalize());
        }
        for (Path c : candidates) {
            looked.add(c);
            if (Files.isRegularFile(c.resolve("unpack.sh")) && Files.isRegularFile(c.resolve("MANIFEST.tsv"))) {
                return Optional.of(new Corpus(c));
            }
        }
        return Optional.empty();
    }

    /** The message shown when the corpus is absent. */
    public static String howToGet(List<Path> looked) {
        return "the benchmark corpus was not found (looked in " + looked + "). It is the project's shared/corpus folder"
                + " (with unpack.sh and MANIFEST.tsv): pass --corpus-source DIR or set " + ENV + "=DIR. Without it,"
                + " bench your own files (mmh bench PATH...) or generated data (--tier 100M).";
    }

    public Path source() {
        return source;
    }

    /** The set names in the manifest, in order. */
    public List<String> sets() throws IOException {
        Set<String> sets = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(source.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (f.length > 1 && !f[0].isBlank()) {
                sets.add(f[0]);
            }
        }
        return List.copyOf(sets);
    }

    /** Expands {@code all} and checks the names. */
    public List<String> resolve(List<String> wanted) throws IOException {
        List<String> known = sets();
        Set<String> out = new LinkedHashSet<>();
        for (String w : wanted) {
            if (w.equals("all")) {
                out.addAll(known);
            } else if (known.contains(w)) {
                out.add(w);
            } else {
                throw new IllegalArgumentException("unknown corpus set '" + w + "' (known: " + String.join(", ", known) + ", all)");
            }
        }
        return List.copyOf(out);
    }

    /**
     * Unpacks the sets into {@code cache} (files already there with the right hash are kept) by running the
     * corpus's own {@code unpack.sh}.
     *
     * @throws IOException with the script's last message when it fails
     */
    public void unpack(Path cache, List<String> sets) throws IOException {
        Files.createDirectories(cache);
        List<String> cmd = new ArrayList<>(List.of("sh", source.resolve("unpack.sh").toString(), cache.toString()));
        cmd.addAll(sets);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the corpus");
        }
        if (exit != 0) {
            throw new IOException("unpacking the corpus failed (unpack.sh exit " + exit + "): " + output.strip().replace('\n', ' '));
        }
    }

    /** The default cache folder: {@code $XDG_CACHE_HOME/mmh/corpus} or {@code ~/.cache/mmh/corpus}. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mmh").resolve("corpus");
    }
}
