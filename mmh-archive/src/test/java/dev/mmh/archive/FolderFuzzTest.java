package dev.mmh.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.MmhException;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.read.FolderView;
import dev.mmh.archive.write.PackRoundTripTest;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated folder archives through every reader: open, walk each version, read each file, extract into a directory,
 * write a tar. Damage (bit flips, byte runs, cuts, appended junk, a tree's bytes changed inside a block whose
 * checksums are made valid) must fail with an {@link MmhException} or give exactly the original trees; forgeries
 * (fields set to extremes with the manifest's CRC, a blob table page's CRCs, or a tree's ID and its block made valid)
 * may read as another tree, but must fail with an {@link MmhException} if they fail. Never another exception, never
 * a hang (a timeout per case), never an OOM. Seeded: {@value #DEFAULT_CASES} cases in the normal suite (a few
 * seconds); more with {@code -Dmmh.fuzz.cases=N}. A failure names its seed, case and mutation.
 */
class FolderFuzzTest {
    static final int DEFAULT_CASES = 120;
    static final long SEED = 0x5eed_f01dL;
    static final Duration CASE_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = FolderFuzzTest.class.getResourceAsStream("/golden/v3/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A mutation: what it did, the bytes, and whether the result may be a valid archive of another tree. */
    record Mutant(String what, byte[] bytes, boolean forged, boolean fromOne) {
        Mutant(String what, byte[] bytes, boolean forged) {
            this(what, bytes, forged, false);
        }
    }

    /** Everything the readers give for an archive, as text to compare. */
    private String readAll(Path archive, Path work) throws IOException {
        StringBuilder out = new StringBuilder();
        try (FolderArchive a = FolderArchive.open(archive, FolderArchive.ReadOptions.threads(1))) {
            for (int v = 1; v <= a.latest(); v++) {
                List<byte[]> files = new ArrayList<>();
                StringBuilder list = out;
                a.view(v).walk(new FolderView.Visitor() {
                    @Override
                    public void entry(byte[] path, Entry e) {
                        list.append(new String(path, java.nio.charset.StandardCharsets.ISO_8859_1)).append(' ')
                                .append(e.type()).append(' ').append(Integer.toOctalString(e.mode())).append(' ')
                                .append(e.mtimeSeconds()).append('.').append(e.mtimeNanos()).append(' ')
                                .append(e.size()).append('\n');
                        if (e.type() == dev.mmh.archive.format.EntryType.FILE) {
                            files.add(path);
                        }
                    }
                });
                for (byte[] p : files) {
                    try (InputStream in = a.read(v, p)) {
                        out.append(Arrays.hashCode(in.readAllBytes())).append('\n');
                    }
                }
                Path dest = work.resolve("x" + v);
                Extractor.Result r = a.extract(v, List.of(), dest, Extractor.Options.defaults(1));
                if (!r.ok()) {
                    throw new Reported(r.problems().toString());
                }
                out.append(PackRoundTripTest.describe(dest.resolve("tree"))).append('\n');
                ByteArrayOutputStream tar = new ByteArrayOutputStream();
                a.toTar(v, List.of(), tar);
                out.append(Arrays.hashCode(tar.toByteArray())).append('\n');
            }
        }
        return out.toString();
    }

    /** An extraction that went on past damage and reported it: a clean failure, as an exception would be. */
    static final class Reported extends IOException {
        Reported(String m) {
            super(m);
        }
    }

    private static int cases() {
        return Integer.getInteger("mmh.fuzz.cases", DEFAULT_CASES);
    }

    @Test
    void mutatedFolderArchivesFailCleanlyOrReadAsTheOriginal() throws Exception {
        byte[][] sources = {golden(FolderGoldenFiles.ONE), golden(FolderGoldenFiles.TWO),
            golden(FolderGoldenFiles.RECOVERY)};
        String[] originals = new String[sources.length];
        for (int i = 0; i < sources.length; i++) {
            Path p = tmp.resolve("orig" + i + ".mmh");
            Files.write(p, sources[i]);
            originals[i] = readAll(p, Files.createDirectories(tmp.resolve("orig" + i)));
        }
        SplittableRandom r = new SplittableRandom(SEED);
        int n = cases();
        for (int i = 0; i < n; i++) {
            int s = r.nextInt(sources.length);
            long caseSeed = r.nextLong();
            Mutant m = mutate(sources[s], new SplittableRandom(caseSeed));
            String label = "case " + i + " (seed " + caseSeed + ", golden " + s + "): " + m.what();
            Path work = Files.createDirectories(tmp.resolve("c" + i));
            Path file = work.resolve("m.mmh");
            Files.write(file, m.bytes());
            String original = m.fromOne() ? originals[0] : originals[s];
            assertTimeoutPreemptively(CASE_TIMEOUT, () -> {
                String got;
                try {
                    got = readAll(file, work);
                } catch (MmhException | Reported e) {
                    return;
                } catch (Throwable e) {
                    fail(label + ": " + e, e);
                    return;
                }
                if (!m.forged()) {
                    assertEquals(original, got, label + ": read without an error but not as the original");
                }
            }, label + ": timed out");
            FolderGoldenFiles.delete(work);
        }
    }

    private Mutant mutate(byte[] g, SplittableRandom r) throws IOException {
        byte[] b = g.clone();
        switch (r.nextInt(9)) {
            case 0 -> {
                int flips = 1 + r.nextInt(4);
                StringBuilder w = new StringBuilder("bit flips at");
                for (int k = 0; k < flips; k++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    w.append(' ').append(at);
                }
                return new Mutant(w.toString(), b, false);
            }
            case 1 -> {
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(64));
                int v = r.nextInt(3) == 0 ? 0 : r.nextInt(3) == 0 ? 0xff : r.nextInt(256);
                Arrays.fill(b, at, at + len, (byte) v);
                return new Mutant("run of " + len + " bytes " + v + " at " + at, b, false);
            }
            case 2 -> {
                int len = r.nextInt(b.length);
                return new Mutant("cut to " + len + " bytes", Arrays.copyOf(b, len), false);
            }
            case 3 -> {
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                byte[] c = Arrays.copyOf(b, b.length + junk.length);
                System.arraycopy(junk, 0, c, b.length, junk.length);
                return new Mutant(junk.length + " bytes of junk appended", c, false);
            }
            case 4 -> {
                // a field of the manifest set to an extreme, its CRC made valid
                int f = b.length - Format.FOLDER_FOOTER_SIZE;
                int at = (int) LE.get64(b, f + 32);
                int len = (int) LE.get64(b, f + 40);
                int field = Format.SECTION_ENVELOPE + r.nextInt(len - Format.SECTION_ENVELOPE - 4);
                int v = r.nextBoolean() ? 0xff : r.nextBoolean() ? 0x7f : 0;
                int run = 1 + r.nextInt(9);
                for (int k = 0; k < run && field + k < at + len - 4 - at; k++) {
                    b[at + field + k] = (byte) v;
                }
                LE.put32(b, at + len - 4, Format.crc(b, at, len - 4));
                return new Mutant("manifest bytes " + field + "+" + run + " set to " + v + ", CRC valid", b, true);
            }
            case 5 -> {
                // a blob table page's bytes changed, its CRC and the directory's made valid
                FolderNegatives.Parts p = FolderNegatives.parts(g);
                Manifest.TableRef t = p.manifest().tables().get(r.nextInt(p.manifest().tables().size()));
                int body = (int) t.offset() + Format.SECTION_ENVELOPE;
                long count = LE.get64(b, body);
                int dir = body + 16;
                int entries = dir + 36 + 4;
                int e = r.nextInt((int) count);
                int field = 32 + r.nextInt(16);
                int v = r.nextBoolean() ? 0xff : r.nextInt(256);
                b[entries + e * BlobTable.ENTRY_SIZE + field] = (byte) v;
                LE.put32(b, dir + 32, Format.crc(b, entries, (int) count * BlobTable.ENTRY_SIZE));
                LE.put32(b, dir + 36, Format.crc(b, dir, 36));
                return new Mutant("blob table entry " + e + " byte " + field + " set to " + v + ", CRCs valid", b,
                        true);
            }
            case 6, 7 -> {
                // a tree's bytes changed inside its block, the block re-encoded (its hash valid); with new IDs up to
                // the root the tree decoder sees it, without the ID check catches it
                boolean reId = r.nextBoolean();
                long pick = r.nextLong();
                int[] where = new int[2];
                byte[] c = FolderNegatives.rewrite(oneVersion(g), blob -> {
                    if (blob.at().type() == BlobTable.DATA || (pick & 1) != (blob.at().id().prefix() & 1)) {
                        return null;
                    }
                    byte[] x = blob.bytes().clone();
                    SplittableRandom q = new SplittableRandom(pick ^ blob.at().id().prefix());
                    int at = q.nextInt(x.length);
                    x[at] = (byte) (q.nextBoolean() ? 0xff : q.nextInt(256));
                    where[0]++;
                    where[1] = at;
                    return x;
                }, reId);
                return new Mutant((reId ? "re-IDed" : "same-ID") + " change of " + where[0] + " metadata blobs (last "
                        + "at " + where[1] + ")", c, reId, true);
            }
            default -> {
                // the header's committed length set to an extreme, its CRC valid
                long[] values = {0, 1, 128, b.length - 1, b.length + 1, Long.MAX_VALUE, -1};
                long v = values[r.nextInt(values.length)];
                LE.put64(b, 32, v);
                LE.put32(b, 44, Format.crc(b, 0, 44));
                return new Mutant("committed length " + v + ", header CRC valid", b, false);
            }
        }
    }

    /** The rewriter takes single-version archives without recovery data: the one-version golden. */
    private static byte[] oneVersion(byte[] g) throws IOException {
        return golden(FolderGoldenFiles.ONE);
    }
}
