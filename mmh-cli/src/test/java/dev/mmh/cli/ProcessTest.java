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

    /** {@code mb} MiB of text-like bytes (one random MiB repeated): quick to write, compressible. */
    private static Path large(Path dir, String name, int mb) throws IOException {
        Path p = dir.resolve(name);
        byte[] chunk = new byte[1 << 20];
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) "the quick brown fox jumps over a lazy dog\n".charAt(r.nextInt(42));
        }
        try (var out = Files.newOutputStream(p)) {
            for (int i = 0; i < mb; i++) {
                out.write(chunk);
            }
        }
        return p;
    }

    private static long crc(Path p) throws IOException {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        byte[] b = new byte[1 << 20];
        try (var in = Files.newInputStream(p)) {
            for (int n; (n = in.read(b)) > 0; ) {
                c.update(b, 0, n);
            }
        }
        return c.getValue();
    }

    /**
     * Runs {@code mmh args} on {@code input} (as the last argument), sends SIGINT once its temporary output holds
     * data, and checks that the process exits with 130 and leaves the folder as it was: no temporary file, no
     * partial output, the input unchanged.
     */
    private void interruptedMidWrite(Path input, String... args) throws Exception {
        long before = crc(input);
        List<String> all = new ArrayList<>(List.of(args));
        all.add(input.toString());
        Process p = mmh(all.toArray(new String[0])).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!writing() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "mmh " + all + " should still be running");
            assertTrue(writing(), "a temporary output is being written");
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mmh exits after SIGINT");
            assertEquals(ExitCode.INTERRUPTED, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(input.getFileName().toString()),
                    s.map(x -> x.getFileName().toString()).collect(Collectors.toList()), "only the input is left");
        }
        assertEquals(before, crc(input), "the input is intact");
    }

    /** Whether a temporary output (of AtomicOutput) exists and holds data. */
    private boolean writing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(x -> x.getFileName().toString().endsWith(".mmh-tmp") && x.toFile().length() > 0);
        }
    }

    @Test
    void interruptingCompressLeavesNothing() throws Exception {
        interruptedMidWrite(large(dir, "in", 512), "compress", "-q", "-T2");
    }

    @Test
    void interruptingGzipLeavesNothing() throws Exception {
        interruptedMidWrite(large(dir, "in", 512), "gzip", "-q", "-p2", "-9");
    }

    /** 512 MiB of output from a small file: 64 copies of one gzip stream of 8 MiB (concatenated streams are gzip). */
    @Test
    void interruptingGunzipLeavesNothing() throws Exception {
        Path gz = dir.resolve("in.gz");
        java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
        Path chunk = large(dir, "chunk", 8);
        try (var out = new dev.mmh.gzip.ParallelGzipOutputStream(one, dev.mmh.gzip.GzipOptions.builder().level(1)
                .build())) {
            out.write(Files.readAllBytes(chunk));
        }
        Files.delete(chunk);
        try (var out = Files.newOutputStream(gz)) {
            for (int i = 0; i < 64; i++) {
                one.writeTo(out);
            }
        }
        interruptedMidWrite(gz, "gunzip", "-q", "-p2");
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
