package dev.mmh.store.s3;

import dev.mmh.store.Content;
import dev.mmh.store.FolderStore;
import dev.mmh.store.ObjectStore;
import dev.mmh.store.StoreMetrics;
import dev.mmh.store.StoreOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts and gets per second and MB/s for 1 MiB and 64 MiB objects, on a folder store and on s3proxy over loopback,
 * and the S3 requests per GiB for several pack sizes (docs/STORES.md has the numbers). A test-scope main:
 * <pre>
 * mvn -o -q -pl mmh-s3 -am test-compile
 * mvn -o -q -pl mmh-s3 dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Dmmh.s3proxy.jar=mmh-s3/target/s3-servers/s3proxy-jar-with-dependencies.jar \
 *      -cp mmh-s3/target/test-classes:mmh-s3/target/classes:mmh-repo/target/test-classes:mmh-repo/target/classes:\
 *      mmh-core/target/classes:$(cat cp.txt) dev.mmh.store.s3.StoreBench WORKDIR [N1MiB N64MiB]
 * </pre>
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int n1 = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int n64 = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        System.setProperty("mmh.s3.work", work.resolve("servers").toString());
        Path small = file(work.resolve("src-1m"), 1 << 20);
        Path large = file(work.resolve("src-64m"), 64 << 20);
        Path pack = file(work.resolve("src-256m"), 256 << 20);

        S3Servers.Server server = S3Servers.s3proxy();
        try (S3Client c = server.client()) {
            c.createBucket(r -> r.bucket("bench"));
        }
        System.out.println("| store | object | puts/s | put MB/s | gets/s | get MB/s | requests |");
        System.out.println("|---|---|---|---|---|---|---|");
        Path folder = Files.createDirectories(work.resolve("folder-store"));
        try (ObjectStore f = FolderStore.open(folder)) {
            run("folder", f, small, n1, "1 MiB");
            run("folder", f, large, n64, "64 MiB");
        }
        StoreOptions o = StoreOptions.builder().endpoint(server.endpoint()).build();
        try (S3Store s = S3Store.open(URI.create("s3://bench/repo"), o, S3Store.Tuning.DEFAULTS,
                S3Servers.CREDENTIALS)) {
            run("s3proxy", s, small, n1, "1 MiB");
            run("s3proxy", s, large, n64, "64 MiB");
            System.out.println();
            System.out.println("| pack size | S3 requests to put it | requests per GiB pushed |");
            System.out.println("|---|---|---|");
            for (long mib : new long[] {16, 64, 128, 256}) {
                long before = s.metrics().requests();
                s.put("bench/pack-" + mib, Content.of(pack, 0, mib << 20));
                long req = s.metrics().requests() - before;
                System.out.printf(Locale.ROOT, "| %d MiB | %d | %.0f |%n", mib, req, req * 1024.0 / mib);
            }
        }
    }

    private static Path file(Path p, int size) throws Exception {
        if (Files.isRegularFile(p) && Files.size(p) == size) {
            return p;
        }
        byte[] buf = new byte[1 << 20];
        SplittableRandom r = new SplittableRandom(size);
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int done = 0; done < size; done += buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, Math.min(buf.length, size - done));
            }
        }
        return p;
    }

    private static void run(String label, ObjectStore s, Path src, int n, String what) throws Exception {
        long size = Files.size(src);
        Content c = Content.of(src);
        StoreMetrics m = s.metrics();
        long req0 = m.requests();
        // one of each first, to warm the JIT and the connection pool
        s.put("warm/" + size, c);
        drain(s.get("warm/" + size));
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            s.put("bench/" + size + "/" + i, c);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (drain(s.get("bench/" + size + "/" + i)) != size) {
                throw new IllegalStateException("short read");
            }
        }
        long t2 = System.nanoTime();
        double put = (t1 - t0) / 1e9;
        double get = (t2 - t1) / 1e9;
        double mb = n * size / 1e6;
        System.out.printf(Locale.ROOT, "| %s | %d x %s | %.1f | %.0f | %.1f | %.0f | %d |%n", label, n, what, n / put,
                mb / put, n / get, mb / get, m.requests() - req0);
    }

    private static long drain(InputStream in) throws Exception {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (in) {
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        }
        return n;
    }
}
