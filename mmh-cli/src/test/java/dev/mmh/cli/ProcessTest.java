package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mmh command as a separate process: pipes, signals, and a full disk. */
class ProcessTest {
    @TempDir
    Path dir;

    private static ProcessBuilder mmh(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.mmh.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** 64 MiB of random bytes: zstd -19 on one thread takes many seconds over it, time enough to interrupt. */
    private static Path big(Path dir) throws IOException {
        Path p = dir.resolve("big");
        byte[] chunk = new byte[1 << 20];
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        try (var out = Files.newOutputStream(p)) {
            for (int i = 0; i < 64; i++) {
                r.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return p;
    }

    @Test
    void interruptLeavesNoPartialOutput() throws Exception {
        Path in = big(dir);
        Process p = mmh("compress", "-q", "-T1", "-B", "1M", "--codec", "zstd", "-l", "19", in.toString())
                .redirectErrorStream(true).start();
        // interrupt only once the temporary output exists, i.e. mid-write
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (tempFiles().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "compression should still be running");
        assertEquals(1, tempFiles().size(), "a temporary output is being written");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("big"), s.map(x -> x.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(x -> x.getFileName().toString().endsWith(".mmh-tmp")).collect(Collectors.toList());
        }
    }

    @Test
    void fullDiskIsAnIoError() throws Exception {
        Path in = dir.resolve("f");
        Files.write(in, new byte[3 << 20]);
        Process p = mmh("compress", "-q", "-c", in.toString()).redirectOutput(Path.of("/dev/full").toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCode.IO_ERROR, p.exitValue(), err);
        assertTrue(err.contains("No space left on device"), err);
        assertEquals(1, err.lines().count(), err);
    }

    /** Text, an already-compressed image and float weights from the corpus: every codec at its fast and strongest level, through files and through pipes. */
    @Test
    void corpusFilesRoundTripThroughFilesAndPipesWithEveryCodec() throws Exception {
        Path corpus = Path.of(System.getProperty("mmh.corpus", "../target/corpus"));
        String[] files = {"canterbury/alice29.txt", "mixed/dict-ds.png", "weights/human_movenet-lightning.bin"};
        for (dev.mmh.codec.Codec c : dev.mmh.codec.Codecs.all()) {
            for (String f : files) {
                Path in = corpus.resolve(f);
                byte[] data = Files.readAllBytes(in);
                int level = f.startsWith("weights") ? c.fastLevel() : c.maxLevel();
                Path packed = dir.resolve("p.mmh");
                Process a = mmh("compress", "-q", "-f", "--codec", c.name(), "-l", Integer.toString(level),
                        in.toString(), "-o", packed.toString()).start();
                assertEquals(0, a.waitFor(), c.name() + " " + f);
                Process b = mmh("decompress", "-q", "-c", "-").redirectInput(packed.toFile()).start();
                byte[] viaPipe = b.getInputStream().readAllBytes();
                assertEquals(0, b.waitFor());
                assertArrayEquals(data, viaPipe, c.name() + " " + f + " through a pipe");
                Process d = mmh("decompress", "-q", "-f", packed.toString(), "-o", dir.resolve("out").toString())
                        .start();
                assertEquals(0, d.waitFor());
                assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")), c.name() + " " + f + " through files");
            }
        }
    }

    @Test
    void pipeRoundTripThroughTwoProcesses() throws Exception {
        byte[] data = new byte[5 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("pipe data " + (i % 977)).charAt(i % 7);
        }
        Path in = dir.resolve("in");
        Files.write(in, data);
        Path packed = dir.resolve("packed");
        Process c = mmh("compress", "-q", "-B", "1M").redirectInput(in.toFile()).redirectOutput(packed.toFile())
                .start();
        assertEquals(0, c.waitFor());
        Process d = mmh("decompress", "-q").redirectInput(packed.toFile()).start();
        byte[] back = d.getInputStream().readAllBytes();
        assertEquals(0, d.waitFor());
        assertArrayEquals(data, back);
    }
}
