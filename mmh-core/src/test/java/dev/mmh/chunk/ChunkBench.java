package dev.mmh.chunk;

import dev.mmh.crypto.CryptoContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Speed of chunking and of chunking with IDs, per engine, not part of the test suite. Run it with the launcher's JVM
 * flags ({@code -XX:TieredStopAtLevel=1}) to see what {@code mmh} gets:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp CP dev.mmh.chunk.ChunkBench memory 5 FILE_OR_DIR...   # in process, best of 5
 * java -XX:TieredStopAtLevel=1 -cp CP dev.mmh.chunk.ChunkBench stream ENGINE FILE_OR_DIR... # one pass from files
 * </pre>
 *
 * {@code memory} reads the inputs (at most 1 GiB) into memory, then times every engine over them: cut points only
 * (Java loop, C loop), and with SHA-256 IDs (Java loop + JDK, C loop + JDK, C loop + OpenSSL in one call), and the
 * plain SHA-256 of the same bytes (JDK, OpenSSL) for reference. {@code stream} reads each file in 1 MiB pieces and
 * chunks it with one engine ({@code java}, {@code native}, {@code java-ids}, {@code native-jdk-ids},
 * {@code native-ids}), for timing the whole process with {@code /usr/bin/time}.
 */
public final class ChunkBench {
    private ChunkBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ChunkBench memory REPEATS PATH... | ChunkBench stream ENGINE PATH...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            files.addAll(files(Path.of(args[i])));
        }
        ChunkerParams p = ChunkerParams.DEFAULT;
        if (args[0].equals("stream")) {
            stream(p, args[1], files);
        } else {
            memory(p, Integer.parseInt(args[1]), files);
        }
    }

    /** Regular files under {@code root}, sorted, not following symbolic links. */
    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private static void stream(ChunkerParams p, String engine, List<Path> files) throws IOException {
        long t0 = System.nanoTime();
        long[] count = new long[2];
        ChunkSink sink = (s, e, id) -> {
            count[0]++;
            if (id != null) {
                count[1] ^= id[0];
            }
        };
        byte[] buf = new byte[1 << 20];
        long bytes = 0;
        try (Chunker c = open(p, engine)) {
            for (Path f : files) {
                c.reset();
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ByteBuffer bb = ByteBuffer.wrap(buf);
                    int n;
                    while ((n = ch.read(bb.clear())) > 0) {
                        c.update(buf, 0, n, sink);
                        bytes += n;
                    }
                }
                c.finish(sink);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %d files, %,d bytes, %,d chunks, %.3f s, %.0f MB/s (after JVM start)%n",
                engine, files.size(), bytes, count[0], s, bytes / s / 1e6);
    }

    private static Chunker open(ChunkerParams p, String engine) {
        return switch (engine) {
            case "java" -> Chunker.open(p, null, Chunker.Engine.JAVA);
            case "native" -> Chunker.open(p, null, Chunker.Engine.NATIVE);
            case "java-ids" -> Chunker.open(p, IdFunction.SHA256, Chunker.Engine.JAVA);
            case "native-jdk-ids" -> new JdkNative(p).chunker;
            case "native-ids" -> Chunker.open(p, IdFunction.SHA256, Chunker.Engine.NATIVE_HASH);
            default -> throw new IllegalArgumentException("engine " + engine);
        };
    }

    /** The C cut loop with JDK hashing: what runs where libmmhcore loads and libmmhcrypto does not. */
    private static final class JdkNative {
        final Chunker chunker;

        JdkNative(ChunkerParams p) {
            // Engine.NATIVE hashes through CryptoContext.open(), which is OpenSSL when it loaded: force the JDK
            System.setProperty("mmh.crypto.native", "false");
            if (CryptoContext.nativeLoadError() == null) {
                throw new IllegalStateException("run native-jdk-ids with -Dmmh.crypto.native=false");
            }
            chunker = Chunker.open(p, IdFunction.SHA256, Chunker.Engine.NATIVE);
        }
    }

    private static void memory(ChunkerParams p, int repeats, List<Path> files) throws IOException {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<byte[]> data = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (total + size > (1L << 30)) {
                break;
            }
            data.add(Files.readAllBytes(f));
            total += size;
        }
        System.out.printf(Locale.ROOT, "%d files, %,d bytes in memory; %s; %s%n", data.size(), total, p,
                Chunker.nativeStatus());
        String[][] runs = {{"cut, Java loop", "java"}, {"cut, C loop", "native"},
            {"cut + SHA-256, Java loop + JDK", "java-ids"},
            {"cut + SHA-256, C loop + OpenSSL (one call)", "native-ids"}};
        for (String[] r : runs) {
            double best = Double.MAX_VALUE;
            double bestCpu = Double.MAX_VALUE;
            long chunks = 0;
            try (Chunker c = open(p, r[1])) {
                for (int k = 0; k < repeats; k++) {
                    long[] n = new long[1];
                    long c0 = cpu.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (byte[] b : data) {
                        c.reset();
                        for (int off = 0; off < b.length; off += 1 << 20) {
                            c.update(b, off, Math.min(1 << 20, b.length - off), (s, e, id) -> n[0]++);
                        }
                        c.finish((s, e, id) -> n[0]++);
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    bestCpu = Math.min(bestCpu, (cpu.getCurrentThreadCpuTime() - c0) / 1e9);
                    chunks = n[0];
                }
            }
            System.out.printf(Locale.ROOT, "%-46s %6.0f MB/s wall %6.0f MB/s CPU (%,d chunks, best of %d)%n", r[0],
                    total / best / 1e6, total / bestCpu / 1e6, chunks, repeats);
        }
        for (boolean openssl : new boolean[] {false, true}) {
            try (CryptoContext ctx = openssl ? CryptoContext.open() : CryptoContext.openJdk()) {
                if (openssl && !ctx.isNative()) {
                    continue;
                }
                byte[] out = new byte[32];
                double best = Double.MAX_VALUE;
                double bestCpu = Double.MAX_VALUE;
                for (int k = 0; k < repeats; k++) {
                    long c0 = cpu.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (byte[] b : data) {
                        for (int off = 0; off < b.length; off += 64 << 10) {
                            ctx.sha256(b, off, Math.min(64 << 10, b.length - off), out, 0);
                        }
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    bestCpu = Math.min(bestCpu, (cpu.getCurrentThreadCpuTime() - c0) / 1e9);
                }
                System.out.printf(Locale.ROOT, "%-46s %6.0f MB/s wall %6.0f MB/s CPU (64 KiB messages)%n",
                        "SHA-256 alone, " + (openssl ? "OpenSSL" : "JDK"), total / best / 1e6, total / bestCpu / 1e6);
            }
        }
    }
}
