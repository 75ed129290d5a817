package dev.mmh.crypto.age;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every C2SP CCTV age test vector (src/test/resources/cctv/age, from github.com/C2SP/CCTV age/testdata, 0BSD/CC0)
 * through {@link Age#decrypt}: each must succeed with the payload's SHA-256, or fail the way it says (header, armor,
 * no match, HMAC, payload), and a payload failure must have released exactly the plaintext before the bad chunk.
 * Each runs on one thread and on three (the batches of the parallel path).
 */
class CctvAgeTest {
    @TestFactory
    Stream<DynamicTest> everyVector() throws IOException, URISyntaxException {
        Path dir = Path.of(CctvAgeTest.class.getResource("/cctv/age").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 140, "the CCTV age vectors are in the test resources");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            run(f, 1);
            run(f, 3);
        }));
    }

    static void run(Path f, int threads) throws Exception {
        byte[] all = Files.readAllBytes(f);
        int split = indexOf(all, "\n\n".getBytes(StandardCharsets.US_ASCII));
        String expect = null;
        String payload = null;
        boolean zlib = false;
        List<Identity> ids = new ArrayList<>();
        for (String line : new String(all, 0, split, StandardCharsets.UTF_8).split("\n")) {
            int c = line.indexOf(": ");
            String k = line.substring(0, c);
            String v = line.substring(c + 2);
            switch (k) {
                case "expect" -> expect = v;
                case "payload" -> payload = v;
                case "compressed" -> zlib = v.equals("zlib");
                case "identity" -> ids.add(AgeKeys.parseIdentity(v));
                case "passphrase" -> ids.add(new ScryptIdentity(v.getBytes(StandardCharsets.UTF_8)));
                default -> { }
            }
        }
        InputStream body = new ByteArrayInputStream(all, split + 2, all.length - split - 2);
        if (zlib) {
            body = new InflaterInputStream(body);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = f.getFileName() + " (" + threads + " threads)";
        Exception failure = null;
        try {
            Age.decrypt(body, out, ids, threads);
        } catch (Exception e) {
            failure = e;
        }
        String got = failure == null ? "success" : category(failure);
        assertEquals(expect, got, name + ": " + (failure == null ? "decrypted" : failure.toString()));
        if (expect.equals("success") || expect.equals("payload failure")) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
            assertEquals(payload, sha, name + ": the plaintext released");
        } else {
            assertEquals(0, out.size(), name + ": plaintext released before the header was authenticated");
        }
    }

    private static String category(Exception e) {
        if (e instanceof AgeArmorException) {
            return "armor failure";
        }
        if (e instanceof AgeHeaderException || e instanceof NotMmhFormatException
                || e instanceof UnsupportedFormatException) {
            return "header failure";
        }
        if (e instanceof AgeAuthException a) {
            return switch (a.kind()) {
                case NO_MATCH -> "no match";
                case HEADER_MAC -> "HMAC failure";
                case PAYLOAD -> "payload failure";
            };
        }
        fail("an exception outside the age family", e);
        return null;
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no blank line");
    }
}
