package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flip each byte of a small archive in turn: decompress and verify must both fail, with no output left. */
class CorruptionCliTest {
    private static int mmh(StringWriter err, String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void everyByteFlipIsCaughtByDecompressAndVerify(@TempDir Path dir) throws IOException {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("corruption sweep " + (i / 97)).charAt(i % 17);
        }
        Path in = dir.resolve("s");
        Files.write(in, data);
        assertEquals(0, mmh(new StringWriter(), "compress", "-q", "-B", "2K", in.toString()));
        Files.delete(in);
        Path archive = dir.resolve("s.mmh");
        byte[] good = Files.readAllBytes(archive);
        Set<Integer> allowed = Set.of(ExitCode.DAMAGED, ExitCode.NOT_MMH, ExitCode.UNSUPPORTED);
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x04;
            Files.write(archive, bad);
            StringWriter err = new StringWriter();
            int d = mmh(err, "decompress", "-q", archive.toString());
            assertTrue(allowed.contains(d), "byte " + pos + ": decompress exit " + d + " " + err);
            assertEquals(pos < 8 ? ExitCode.NOT_MMH : ExitCode.DAMAGED, d, "byte " + pos + ": " + err);
            assertEquals(1, err.toString().lines().count(), "one line: " + err);
            int v = mmh(new StringWriter(), "verify", "-q", archive.toString());
            assertEquals(pos < 8 ? ExitCode.NOT_MMH : ExitCode.DAMAGED, v, "byte " + pos + ": verify");
            try (Stream<Path> s = Files.list(dir)) {
                List<String> left = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
                assertEquals(List.of("s.mmh"), left, "byte " + pos + ": files left");
            }
        }
    }
}
