package dev.mmh.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.write.PackRoundTripTest;
import dev.mmh.crypto.age.AgeKeys;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.X25519Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed encrypted folder archive ({@code encrypted/sample.mmh}, two versions, to the test identity in {@code
 * encrypted/sample-identity.txt}) decodes to the trees it was made from: encryption is random, so this stands in for
 * a golden file, and catches a change that would stop this build reading what an earlier one wrote. Regenerate with
 * {@code -Dmmh.writeEncryptedSample=DIR} (DIR: this module's {@code src/test/resources/encrypted}).
 */
class EncryptedFolderSampleTest {
    @TempDir
    Path tmp;

    /** Version 1, or 2 (one file changed, one added, one removed), with fixed contents, modes and times. */
    static Path tree(Path base, int version) throws IOException {
        Path top = Files.createDirectories(base.resolve("sample"));
        Path docs = Files.createDirectories(top.resolve("docs"));
        Files.writeString(top.resolve("README"), version == 1 ? "an encrypted sample\n" : "an encrypted sample, v2\n");
        Files.writeString(docs.resolve("notes.txt"), "sealed names, sizes and times\n".repeat(100));
        if (version == 1) {
            Files.writeString(docs.resolve("old.txt"), "removed in version 2\n");
        } else {
            Files.writeString(top.resolve("added.txt"), "added in version 2\n");
        }
        Files.createSymbolicLink(top.resolve("link"), Path.of("docs/notes.txt"));
        long t = 1_750_000_000L;
        try (var s = Files.walk(top)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setAttribute(p, "unix:mode", Files.isDirectory(p) ? 0755 : 0644);
                    Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(t++)));
                }
            }
        }
        return top;
    }

    @Test
    void theCommittedSampleDecodesToItsTwoVersions() throws Exception {
        String write = System.getProperty("mmh.writeEncryptedSample");
        if (write != null) {
            regenerate(Path.of(write));
        }
        Path res = Path.of(EncryptedFolderSampleTest.class.getResource("/encrypted/sample.mmh").toURI());
        List<Identity> ids = AgeKeys.readIdentities(res.resolveSibling("sample-identity.txt"));
        try (FolderArchive f = FolderArchive.open(res, FolderArchive.ReadOptions.threads(1).withIdentities(ids))) {
            assertTrue(f.encrypted());
            assertEquals(2, f.latest());
            for (int v = 1; v <= 2; v++) {
                Path want = tree(Files.createDirectories(tmp.resolve("want" + v)), v);
                Path out = tmp.resolve("out" + v);
                assertTrue(f.extract(v, List.of(), out, Extractor.Options.defaults(1)).ok());
                assertEquals(PackRoundTripTest.describe(want), PackRoundTripTest.describe(out.resolve("sample")),
                        "version " + v);
            }
        }
    }

    private void regenerate(Path dir) throws Exception {
        X25519Identity id = X25519Identity.generate();
        Files.writeString(dir.resolve("sample-identity.txt"), "# a TEST key for EncryptedFolderSampleTest: it protects "
                + "nothing\n" + AgeKeys.identityFile(id), StandardCharsets.US_ASCII);
        Path a = dir.resolve("sample.mmh");
        Files.deleteIfExists(a);
        Path base = Files.createDirectories(tmp.resolve("gen"));
        Path v1 = tree(Files.createDirectories(base.resolve("v1")), 1);
        FolderArchive.create(List.of(FolderArchive.Source.of(v1)), a, false,
                EncryptedFolderArchiveTest.encrypted(1, List.of(id.recipient())));
        Path v2 = tree(Files.createDirectories(base.resolve("v2")), 2);
        FolderArchive.append(a, List.of(FolderArchive.Source.of(v2)),
                FolderArchiveTest.options(1).withIdentities(List.of(id)));
    }
}
