package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.crypto.age.AgeKeys;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.X25519Identity;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import dev.mmh.engine.Verifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frozen encrypted archives in {@code golden/encrypted} (made by {@code mmh compress -T1 -B 4K -r R}, with and
 * without {@code --pad}, from {@code golden/v1/text.bin}, to the test identity {@code key.txt} committed beside them):
 * a reader of this build must open them and give back the input, and their layout must be the one FORMAT.md
 * specifies, byte for byte where the format fixes the bytes. Encryption draws random keys and nonces, so a new
 * writer's output cannot equal them; these files are what holds the format still.
 */
class EncryptedGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/encrypted");
    private static final List<String> NAMES = List.of("text-zstd3-x25519.mmh", "text-store-x25519-pad.mmh");

    private static List<Identity> key() throws IOException {
        return AgeKeys.readIdentities(DIR.resolve("key.txt"));
    }

    @Test
    void everyGoldenDecodesToTheInputWithItsKeyAndOnlyWithIt() throws IOException {
        byte[] text = Files.readAllBytes(Path.of("src/test/resources/golden/v1/text.bin"));
        for (String name : NAMES) {
            byte[] a = Files.readAllBytes(DIR.resolve(name));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Mmh.decompress(new ByteArrayInputStream(a), out, DecompressOptions.builder().threads(2)
                    .identities(key()).build());
            assertArrayEquals(text, out.toByteArray(), name);
            assertTrue(Verifier.verify(DIR.resolve(name), DecompressOptions.builder().identities(key()).build()).ok(),
                    name);
            assertThrows(AuthenticationFailedException.class, () -> Mmh.decompress(new ByteArrayInputStream(a),
                    new ByteArrayOutputStream(), DecompressOptions.builder().identities(
                            List.of(X25519Identity.generate())).build()), name);
        }
    }

    @Test
    void theLayoutIsTheSpecifiedOne() throws IOException {
        for (String name : NAMES) {
            byte[] a = Files.readAllBytes(DIR.resolve(name));
            assertEquals(Format.VERSION, LE.get16(a, 8), name);
            assertEquals(Format.HEADER_ENCRYPTED, LE.get16(a, 10), name);
            // the E section right after the header: must-understand, version 1, AES-256-GCM, an age header
            assertEquals(Format.SECTION_ENCRYPTION, LE.get32(a, 40), name);
            assertEquals(Format.SECTION_MUST_UNDERSTAND, LE.get32(a, 44), name);
            long eLength = LE.get64(a, 48);
            assertEquals(1, a[56], name);
            assertEquals(1, a[57], name);
            assertEquals(name.contains("pad") ? 1 : 0, a[58], name);
            assertEquals(0, a[59], name);
            String age = new String(a, 76, (int) eLength - 16 - 20 - 4, StandardCharsets.US_ASCII);
            assertTrue(age.startsWith("age-encryption.org/v1\n-> X25519 "), age);
            assertTrue(age.contains("\n--- "), age);
            // three 4 KiB blocks, then the A section, then the index
            try (SeekableArchive s = SeekableArchive.open(DIR.resolve(name))) {
                assertEquals(3, s.index().entries().size(), name);
                assertEquals(40 + eLength, s.index().entries().get(0).offset(), name);
                IndexEntry last = s.index().entries().get(2);
                long blocksEnd = last.offset() + BlockHeader.size(8) + last.storedSize() + 4;
                assertEquals(blocksEnd, s.authOffset(), name);
                assertEquals(Format.SECTION_AUTH, LE.get32(a, (int) blocksEnd), name);
                assertEquals(16 + 80 + 4, LE.get64(a, (int) blocksEnd + 8), name);
                assertEquals(blocksEnd + 100, s.tail().indexOffset(), name);
                for (IndexEntry e : s.index().entries()) {
                    long sealed = e.storedSize() - Format.SEAL_OVERHEAD;
                    if (name.contains("pad")) {
                        assertEquals(Format.padme(sealed), sealed, name);
                    } else if (name.contains("store")) {
                        assertEquals(e.rawSize(), sealed, name);
                    }
                }
            }
        }
    }
}
