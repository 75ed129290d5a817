package dev.mmh.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Prints the analysis of every 4 MiB block of every corpus file (a tool, not a test). */
public final class AnalyzeCorpusMain {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "/tmp/corpus");
        int block = 4 << 20;
        for (int pass = 0; pass < 2; pass++) {
        try (Analyzer a = new Analyzer(); Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                byte[] d = Files.readAllBytes(p);
                StringBuilder kinds = new StringBuilder();
                long t0 = System.nanoTime();
                BlockAnalysis first = null;
                for (int off = 0; off < d.length; off += block) {
                    BlockAnalysis r = a.analyze(d, off, Math.min(block, d.length - off));
                    if (first == null) {
                        first = r;
                    }
                    kinds.append(r.kind().name().charAt(0));
                }
                long us = (System.nanoTime() - t0) / 1000;
                if (pass == 1) System.out.printf("%-45s %-8s %s | %s | %d us%n", root.relativize(p), first.kind(), kinds, first, us);
            }
        }
        }
    }
}
