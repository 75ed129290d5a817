package dev.mmh.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures what listing a folder of a million names costs (docs/STORES.md has the numbers): run it with a small
 * heap, e.g. {@code java -Xmx16m -cp ... dev.mmh.store.ListingMemory DIR store}. Modes: {@code create N} makes N
 * empty files in {@code DIR/one/} (one folder, the worst case), {@code store} lists them through
 * {@link FolderStore#list}, {@code jdk} collects {@code Files.list} into a list, as code that loads a folder at once
 * does. Prints the count, the time and the heap in use after a GC at the end (the peak is bounded by -Xmx).
 */
public final class ListingMemory {
    private ListingMemory() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        long n = 0;
        switch (args[1]) {
            case "create" -> {
                Path one = Files.createDirectories(dir.resolve("one"));
                int count = Integer.parseInt(args[2]);
                for (int i = 0; i < count; i++) {
                    Files.createFile(one.resolve(String.format("%064x", (long) i * 0x9E3779B97F4A7C15L)));
                }
                n = count;
            }
            case "store" -> {
                try (FolderStore s = FolderStore.open(dir); Listing l = s.list("one/")) {
                    while (l.next() != null) {
                        n++;
                    }
                }
            }
            case "jdk" -> {
                try (Stream<Path> s = Files.list(dir.resolve("one"))) {
                    List<String> names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
                    n = names.size();
                }
            }
            default -> throw new IllegalArgumentException("mode: create N | store | jdk");
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%s: %,d names in %.1f s; heap max %d MiB, in use after GC %d MiB%n", args[1], n,
                (System.nanoTime() - t0) / 1e9, rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
