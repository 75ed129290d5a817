package dev.mmh.recovery.bench;

import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.RecoveryOptions;
import dev.mmh.recovery.Repairer;
import dev.mmh.recovery.Sidecar;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Manual benchmark (not a test). Usage:
 * <pre>
 *   protect FILE FRACTION THREADS          one sidecar encode, cold JVM (what `mmh protect` pays)
 *   encode FILE FRACTION THREADS REPS       in-process encode timings (warm)
 *   repair FILE SIDECAR OUT THREADS         one scan + repair, cold JVM
 * </pre>
 */
public final class RecoveryBench {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        switch (a[0]) {
            case "protect" -> {
                if (a.length > 4 && a[4].equals("warm")) {
                    RecoveryEncoder.warmUp();
                    System.err.println("warm-up " + (System.nanoTime() - t0) / 1000000 + " ms");
                }
                Path f = Path.of(a[1]);
                RecoveryData rd = Sidecar.protect(f, Sidecar.pathFor(f),
                        RecoveryOptions.of(Double.parseDouble(a[2])).withThreads(Integer.parseInt(a[3])));
                // no printf or record toString here: their first use costs start-up time that mmh need not pay
                System.err.println(new StringBuilder("protect: ").append((System.nanoTime() - t0) / 1000000)
                        .append(" ms, section ").append(rd.sectionLength()).append(" bytes, shard ")
                        .append(rd.params().shardSize()).append(", code ").append(rd.params().dataRows()).append('+')
                        .append(rd.params().parityRows()).append(" x ").append(rd.params().codeWords()));
            }
            case "encode" -> {
                Path f = Path.of(a[1]);
                Path out = Files.createTempFile("bench", ".mmhr");
                int reps = Integer.parseInt(a[4]);
                try (FileChannel src = FileChannel.open(f); FileChannel dst = FileChannel.open(out,
                        StandardOpenOption.WRITE)) {
                    for (int i = 0; i < reps; i++) {
                        long s = System.nanoTime();
                        long c = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        RecoveryEncoder.encode(src, src.size(), RecoveryOptions.of(Double.parseDouble(a[2]))
                                .withThreads(Integer.parseInt(a[3])).withSidecar(true), dst, 0);
                        double ms = (System.nanoTime() - s) / 1e6;
                        double cpu = (java.lang.management.ManagementFactory.getThreadMXBean()
                                .getCurrentThreadCpuTime() - c) / 1e6;
                        System.err.printf("encode %d: %.1f ms = %.0f MB/s (calling thread cpu %.1f ms)%n", i, ms,
                                src.size() / ms / 1e3, cpu);
                    }
                } finally {
                    Files.delete(out);
                }
            }
            case "repair" -> {
                Path f = Path.of(a[1]);
                Path side = Path.of(a[2]);
                int threads = Integer.parseInt(a[4]);
                try (FileChannel data = FileChannel.open(f); FileChannel sec = FileChannel.open(side);
                        FileChannel out = FileChannel.open(Path.of(a[3]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    RecoveryData rd = RecoveryData.read(sec, 0);
                    DamageReport rep = Repairer.scan(data, sec, rd, threads);
                    long t1 = System.nanoTime();
                    System.err.println(rep.summary().lines().findFirst().orElse(""));
                    Repairer.Result r = Repairer.repair(data, sec, rd, rep, out, threads);
                    System.err.printf("scan %.1f ms, repair %.1f ms, total %.1f ms, %d shards rebuilt%n",
                            (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6, (System.nanoTime() - t0) / 1e6,
                            r.repairedShards());
                }
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
    }
}
