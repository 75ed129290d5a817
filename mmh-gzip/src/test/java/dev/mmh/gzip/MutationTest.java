package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.assumeTool;
import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static dev.mmh.gzip.GzipTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.MmhException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded damage to gzip files, held against GNU gzip itself. Inputs: mmh's output with BGZF's {@code BC} marker and
 * with mmh's {@code MH} marker, and a single-stream file made by {@code gzip -6}. Mutations: bit flips, byte runs,
 * cuts, inserted and deleted bytes, splices of two files, header and trailer fields set to extreme values, and
 * deflate data damaged with the trailer made to match what it then inflates to (a valid gzip file of other data).
 *
 * <p>The rule for every case, with libdeflate and with the JDK's zlib: mmh's decoder either fails with an
 * {@link MmhException} (no other exception, no hang: each case runs under a timeout) or returns what
 * {@code gzip -d} gives for that file, or the original when the damage is in bytes that gzip checks and mmh may
 * ignore. {@value #CASES_PROPERTY} sets the cases per input (default {@value #DEFAULT_CASES}).
 */
class MutationTest {
    static final String CASES_PROPERTY = "mmh.fuzz.cases";
    static final int DEFAULT_CASES = 150;
    private static final int CASES = Integer.getInteger(CASES_PROPERTY, DEFAULT_CASES);
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(60);
    private static final long SEED = 42;
    private static final byte[] DATA = GzipTestSupport.text(60_000, 8);

    @TempDir
    static Path dir;

    /** A gzip file under test. */
    private record Input(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Input> inputs() throws Exception {
        assumeTool("gzip");
        return Stream.of(
                new Input("mmh BGZF (BC)", gzip(DATA, GzipOptions.builder().level(1).threads(2).blockSize(8 << 10)
                        .build())),
                new Input("mmh MH", gzip(DATA, GzipOptions.builder().level(6).threads(2).blockSize(70_000).name("n")
                        .build())),
                new Input("gzip -6", run(DATA, "gzip", "-6", "-c")));
    }

    private static List<GzipOptions> decoders() {
        List<GzipOptions> l = new ArrayList<>();
        for (DeflateBackend b : GzipTestSupport.backends()) {
            l.add(GzipOptions.builder().threads(2).backend(b).build());
        }
        return l;
    }

    /** What GNU gzip makes of a file: its exit code and what it wrote. */
    private record Gnu(int exit, byte[] out) {
        /** Decoded, perhaps with a warning (exit 2: trailing garbage ignored). */
        boolean decoded() {
            return exit == 0 || exit == 2;
        }
    }

    private static Gnu gnuGunzip(byte[] gz) throws IOException, InterruptedException {
        Path f = dir.resolve("case.gz");
        Files.write(f, gz);
        Process p = new ProcessBuilder("gzip", "-d", "-c").redirectInput(f.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gzip -d did not finish");
        }
        return new Gnu(p.exitValue(), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void decodesAsGnuGzipDoesOrFailsThroughTheMmhFamily(Input in) throws Exception {
        List<Input> all = inputs().toList();
        assertArrayEquals(DATA, gnuGunzip(in.bytes()).out(), "gzip -d of the sound file");
        for (GzipOptions o : decoders()) {
            assertArrayEquals(DATA, gunzip(in.bytes(), o), "mmh of the sound file");
        }
        long seed = SEED ^ in.name().hashCode();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            Mutant m = mutate(in.bytes(), all, r);
            String label = in + " case " + i + " (seed " + seed + "): " + m.what();
            Gnu gnu = gnuGunzip(m.bytes());
            for (GzipOptions o : decoders()) {
                String reader = label + ", " + o.backend().name();
                byte[] got = within(reader, () -> gunzip(m.bytes(), o));
                if (got != null && !(gnu.decoded() && Arrays.equals(got, gnu.out())) && !Arrays.equals(got, DATA)) {
                    fail(reader + ": mmh decoded " + got.length + " bytes; gzip -d exited " + gnu.exit() + " with "
                            + gnu.out().length + " bytes" + (gnu.decoded() ? " that differ" : "")
                            + ", and they are not the original either");
                }
            }
        }
    }

    private interface Call {
        byte[] run() throws IOException;
    }

    /**
     * Runs {@code c} under the case timeout: its result, or {@code null} when it failed with an MmhException;
     * anything else fails the test.
     */
    private static byte[] within(String label, Call c) {
        return assertTimeoutPreemptively(CASE_TIMEOUT, () -> {
            try {
                return c.run();
            } catch (MmhException expected) {
                return null;
            } catch (Throwable t) {
                return fail(label + ": failed outside the MmhException family: " + t, t);
            }
        }, () -> label + ": no answer within " + CASE_TIMEOUT);
    }

    // ---- mutations ----

    private record Mutant(byte[] bytes, String what) {
    }

    /** A member's header fields and where its deflate data and trailer are, for the structure-aware mutations. */
    private record Member(int start, int dataStart, int trailer, List<int[]> fields) {
    }

    /** The members of a sound gzip file (its own parser, independent of the one under test). */
    private static List<Member> members(byte[] b) {
        List<Member> list = new ArrayList<>();
        int p = 0;
        while (p + 18 <= b.length) {
            int flg = b[p + 3] & 0xff;
            List<int[]> fields = new ArrayList<>(List.of(new int[] {2, 1}, new int[] {3, 1}, new int[] {4, 4},
                new int[] {8, 1}, new int[] {9, 1}));
            int q = p + 10;
            int size = -1;
            if ((flg & 4) != 0) {
                int xlen = (int) get(b, q, 2);
                fields.add(new int[] {10, 2});
                for (int s = q + 2; s + 4 <= q + 2 + xlen; ) {
                    int len = (int) get(b, s + 2, 2);
                    fields.add(new int[] {s + 2 - p, 2});
                    if (b[s] == 'B' && b[s + 1] == 'C') {
                        size = (int) get(b, s + 4, 2) + 1;
                        fields.add(new int[] {s + 4 - p, 2});
                    } else if (b[s] == 'M' && b[s + 1] == 'H') {
                        size = (int) get(b, s + 4, 4);
                        fields.add(new int[] {s + 4 - p, 4});
                    }
                    s += 4 + len;
                }
                q += 2 + xlen;
            }
            for (int bit : new int[] {8, 16}) {
                if ((flg & bit) != 0) {
                    while (b[q] != 0) {
                        q++;
                    }
                    q++;
                }
            }
            if ((flg & 2) != 0) {
                q += 2;
            }
            int end = size > 0 ? p + size : b.length;
            fields.add(new int[] {end - 8 - p, 4});
            fields.add(new int[] {end - 4 - p, 4});
            list.add(new Member(p, q, end - 8, fields));
            p = end;
        }
        assertEquals(b.length, p, "the members cover the file");
        return list;
    }

    private static Mutant mutate(byte[] good, List<Input> others, SplittableRandom r) {
        byte[] b = good.clone();
        int n = b.length;
        switch (r.nextInt(10)) {
            case 0 -> {
                StringBuilder w = new StringBuilder("bits flipped at");
                for (int k = r.nextInt(1, 4); k > 0; k--) {
                    int at = r.nextInt(n);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    w.append(' ').append(at);
                }
                return new Mutant(b, w.toString());
            }
            case 1 -> {
                // header bytes more often: they hold the fields the decoder trusts
                int at = r.nextBoolean() ? r.nextInt(Math.min(n, 64)) : r.nextInt(n);
                int len = r.nextInt(1, 8);
                int v = r.nextInt(256);
                Arrays.fill(b, at, Math.min(n, at + len), (byte) v);
                return new Mutant(b, len + " bytes set to " + v + " at " + at);
            }
            case 2 -> {
                int len = r.nextInt(n);
                return new Mutant(Arrays.copyOf(b, len), "cut to " + len + " bytes");
            }
            case 3 -> {
                int at = r.nextInt(n + 1);
                byte[] ins = new byte[r.nextInt(1, 17)];
                r.nextBytes(ins);
                return new Mutant(concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, n)),
                        ins.length + " bytes inserted at " + at);
            }
            case 4 -> {
                int at = r.nextInt(n);
                int len = Math.min(n - at, r.nextInt(1, 17));
                return new Mutant(concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n)),
                        len + " bytes deleted at " + at);
            }
            case 5 -> {
                Input o = others.get(r.nextInt(others.size()));
                int cut = r.nextInt(n + 1);
                int from = r.nextInt(o.bytes().length + 1);
                return new Mutant(concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(o.bytes(), from, o.bytes().length)),
                        "first " + cut + " bytes spliced to " + o + " from " + from);
            }
            case 6, 7 -> {
                List<Member> ms = members(good);
                Member m = ms.get(r.nextInt(ms.size()));
                int[] f = m.fields().get(r.nextInt(m.fields().size()));
                int at = m.start() + f[0];
                long old = get(b, at, f[1]);
                long[] values = {0, 1, -1, (1L << 8 * f[1] - 1) - 1, 1L << 8 * f[1] - 1, old + 1, old - 1, old * 2,
                    old / 2, n, old ^ 1L << r.nextInt(8 * f[1])};
                long v = values[r.nextInt(values.length)];
                for (int i = 0; i < f[1]; i++) {
                    b[at + i] = (byte) (v >>> 8 * i);
                }
                return new Mutant(b, "field at " + at + " (" + f[1] + " bytes) set to " + v + " (was " + old + ")");
            }
            case 8, 9 -> {
                return damagedDeflate(b, members(good), r);
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Deflate data of one member damaged, and its trailer set to the CRC and length of what the damaged data
     * inflates to (when it still inflates): a valid gzip file of other data, which both decoders must agree on.
     */
    private static Mutant damagedDeflate(byte[] b, List<Member> ms, SplittableRandom r) {
        Member m = ms.get(r.nextInt(ms.size()));
        if (m.trailer() <= m.dataStart()) {
            return new Mutant(b, "nothing (empty member)");
        }
        StringBuilder w = new StringBuilder("deflate data damaged at");
        for (int k = r.nextInt(1, 4); k > 0; k--) {
            int at = r.nextInt(m.dataStart(), m.trailer());
            b[at] ^= (byte) (1 << r.nextInt(8));
            w.append(' ').append(at);
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(b, m.dataStart(), m.trailer() - m.dataStart());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!inf.finished() && out.size() < 16 << 20) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, k);
            }
            if (inf.finished()) {
                CRC32 crc = new CRC32();
                crc.update(out.toByteArray());
                for (int i = 0; i < 4; i++) {
                    b[m.trailer() + i] = (byte) (crc.getValue() >>> 8 * i);
                    b[m.trailer() + 4 + i] = (byte) (out.size() >>> 8 * i);
                }
                w.append(", trailer made to match its ").append(out.size()).append(" bytes");
            }
        } catch (DataFormatException e) {
            w.append(" (no longer inflates)");
        } finally {
            inf.end();
        }
        return new Mutant(b, w.toString());
    }

    private static long get(byte[] b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    private static byte[] concat(byte[]... parts) {
        return GzipTestSupport.concat(parts);
    }
}
