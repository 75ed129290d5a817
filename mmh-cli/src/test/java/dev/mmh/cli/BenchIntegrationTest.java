package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmh.bench.Corpus;
import dev.mmh.bench.DataGenerator;
import dev.mmh.bench.DataKind;
import dev.mmh.bench.ToolSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs tiny benches against real system tools (gzip and bzip2, which every Linux has) and against scripts that stand
 * in for broken tools on a PATH of the test's own.
 */
class BenchIntegrationTest {
    @TempDir
    Path dir;
    Path data;
    Path bin;

    record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(ToolSpec.locate("gzip", System.getenv("PATH")).isPresent(), "gzip is not installed");
        data = Files.createDirectories(dir.resolve("data"));
        write(data.resolve("a.txt"), DataKind.TEXT, 40_000);
        write(data.resolve("b.bin"), DataKind.BINARY, 24_000);
        bin = Files.createDirectories(dir.resolve("bin"));
    }

    private static void write(Path f, DataKind kind, int size) throws IOException {
        try (InputStream in = DataGenerator.open(kind, size, 3)) {
            Files.write(f, in.readAllBytes());
        }
    }

    private Result run(String path, String... args) {
        BenchCommand cmd = new BenchCommand();
        cmd.workingDir = dir;
        cmd.env = name -> name.equals("PATH") ? path : System.getenv(name);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--no-progress", "--warmup", "0", "--threads", "1",
                "--work", dir.resolve("work").toString()));
        if (!List.of(args).contains("--runs")) {
            all.addAll(List.of("--runs", "1"));
        }
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(new String[0]));
        return new Result(exit, out.toString(), err.toString());
    }

    private String withBin() {
        return bin + ":" + System.getenv("PATH");
    }

    /** A script named {@code name} in the test's bin folder. */
    private void script(String name, String body) throws IOException {
        Path s = bin.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static long gzipSize(Path file, int level) throws Exception {
        Process p = new ProcessBuilder("gzip", "-c", "-" + level).redirectInput(file.toFile()).start();
        long n = p.getInputStream().readAllBytes().length;
        assertEquals(0, p.waitFor());
        return n;
    }

    private static List<String> rows(String md, String tool) {
        return md.lines().filter(l -> l.startsWith("| ") && l.split("\\|")[2].trim().equals(tool)).toList();
    }

    @Test
    void measuresAFolderWithGzipAndWritesEveryReport() throws Exception {
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1,6",
                "--runs", "2", "--out", "out", "--json", "r.json", "--csv", "r.csv", "--", "data");
        assertEquals(0, r.exit(), r.err());
        List<String> gzip = rows(r.out(), "gzip");
        assertEquals(2, gzip.size(), r.out());
        assertTrue(gzip.get(0).startsWith("| tool | gzip | 1 | 1 |") && gzip.get(0).endsWith("| ok |"), gzip.get(0));
        assertTrue(gzip.get(1).startsWith("| tool | gzip | 6 | 1 |"), gzip.get(1));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        JsonNode level6 = json.get("results").get(1);
        assertEquals(6, level6.get("level").asInt());
        assertTrue(level6.get("command").asText().matches(".*/gzip -c -6 < IN > OUT; .*/gzip -d -c < OUT"),
                level6.get("command").asText());
        assertEquals(2, level6.get("files").asInt());
        assertEquals(64_000, level6.get("raw_bytes").asLong());
        assertEquals(2, level6.get("runs").size());
        // the compressed size is what gzip itself writes for each file, summed
        long expected = gzipSize(data.resolve("a.txt"), 6) + gzipSize(data.resolve("b.bin"), 6);
        assertEquals(expected, level6.get("compressed_bytes").asLong());
        assertEquals(64_000.0 / expected, level6.get("ratio").asDouble(), 1e-4); // 6 significant digits in JSON
        assertTrue(level6.get("compress_mb_per_s").get("median").asDouble() > 0);
        assertTrue(json.get("machine").get("tool gzip").asText().contains("gzip"));

        assertEquals(new ObjectMapper().readTree(dir.resolve("out/report.json").toFile()).get("results").size(), 2);
        assertEquals(3, Files.readAllLines(dir.resolve("r.csv")).size());
        assertEquals(3, Files.readAllLines(dir.resolve("out/report.csv")).size());
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            assertEquals(2, s.filter(p -> p.toString().endsWith(".png")).count());
        }
        try (Stream<Path> s = Files.list(dir.resolve("work"))) {
            assertEquals(0, s.count(), "temporary files must be removed");
        }
    }

    @Test
    void catchesAToolWhoseOutputDoesNotDecompressToTheInput() throws Exception {
        String real = ToolSpec.locate("gzip", System.getenv("PATH")).get().toString();
        // decompresses correctly, then adds one stray byte: only the round-trip comparison can notice
        script("gzip", "case \" $* \" in *\" -d \"*) \"" + real + "\" \"$@\" || exit $?; printf X;; *) exec \"" + real
                + "\" \"$@\";; esac");
        Result r = run(withBin(), "--modes", "tool", "--tools", "gzip,bzip2", "--codecs", "gzip:6", "bzip2:9", "data");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("ROUND TRIP MISMATCH"), r.err());
        assertTrue(rows(r.out(), "gzip").get(0).contains("**FAILED**"), r.out());
        assertTrue(rows(r.out(), "bzip2").get(0).endsWith("| ok |"), "the rest of the run goes on: " + r.out());
    }

    @Test
    void catchesAToolThatAppendsToItsCompressedOutput() throws Exception {
        String real = ToolSpec.locate("gzip", System.getenv("PATH")).get().toString();
        script("gzip", "\"" + real + "\" \"$@\" || exit $?; case \" $* \" in *\" -d \"*) ;; *) printf X;; esac");
        Result r = run(withBin(), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:6", "data");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("FAILED: gzip -6 T1 on data"), r.err());
    }

    @Test
    void reportsACrashingToolInOneLineAndGoesOn() throws Exception {
        script("gzip", "echo 'boom: simulated crash' >&2; exit 3");
        Result r = run(withBin(), "--modes", "tool", "--tools", "gzip,bzip2", "--codecs", "gzip:6", "bzip2:9", "data");
        assertEquals(1, r.exit());
        List<String> failed = r.err().lines().filter(l -> l.startsWith("FAILED:")).toList();
        assertEquals(1, failed.size(), r.err());
        assertTrue(failed.get(0).contains("exit code 3 (boom: simulated crash)"), failed.get(0));
        assertTrue(rows(r.out(), "bzip2").get(0).endsWith("| ok |"), r.out());
    }

    @Test
    void killsAToolThatHangs() throws Exception {
        // hangs on compression only (answers --version), and sleeps in the background so no pipe is left open
        script("gzip", "case \"$1\" in --version) echo 'gzip 0 (hangs)';; *) exec sleep 30;; esac");
        Result r = run(withBin(), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:6", "--step-timeout", "1", "data");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("still running after 1 s, killed"), r.err());
    }

    @Test
    void aRequestedToolThatIsMissingFailsTheRun() throws Exception {
        Result r = run(bin.toString(), "--modes", "tool", "--tools", "lz4", "--codecs", "lz4", "data");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("FAILED: lz4 is not installed"), r.err());
    }

    @Test
    void missingPathsAndEmptyFoldersAreReportedAndTheRestIsMeasured() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1",
                "--", "empty", "nothing-here", "data");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("has no readable files (it is empty)"), r.err());
        assertTrue(r.err().contains("no such file or folder: " + dir.resolve("nothing-here")), r.err());
        assertTrue(rows(r.out(), "gzip").get(0).endsWith("| ok |"), r.out());
    }

    @Test
    void anUnreadableFileIsReported() throws Exception {
        Path f = data.resolve("secret");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(f), "running as root: every file is readable");
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1", "data");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot read " + f), r.err());
    }

    @Test
    void anAbsentCorpusGivesOneClearMessage() {
        Result r = run(System.getenv("PATH"), "--corpus", "silesia", "--corpus-source", "no-corpus-here");
        assertEquals(1, r.exit());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("--corpus-source DIR") && lines.get(0).contains(Corpus.ENV), lines.get(0));
    }

    @Test
    void unpacksACorpusSetWithItsScriptAndMeasuresIt() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("MANIFEST.tsv"), "set\tname\traw_bytes\tsha256\n" + "tiny\ta.txt\t40000\tx\n");
        // stands in for the corpus's unpack.sh: same arguments (DEST SET...), copies instead of unpacking
        Files.writeString(corpus.resolve("unpack.sh"), "dest=$1; shift; for s in \"$@\"; do mkdir -p \"$dest/$s\";"
                + " cp '" + data.resolve("a.txt") + "' \"$dest/$s/\"; done\n");
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1",
                "--corpus", "tiny", "--corpus-source", "corpus", "--cache", "cache");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("cache/tiny/a.txt")));
        assertTrue(r.out().contains("## tiny"), r.out());
        assertEquals(1, rows(r.out(), "gzip").size());
        Result unknown = run(System.getenv("PATH"), "--corpus", "nosuchset", "--corpus-source", "corpus");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown corpus set 'nosuchset' (known: tiny, all)"), unknown.err());
    }

    @Test
    void measuresGeneratedTiersAndSmallFiles() throws Exception {
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1",
                "--tier", "200K", "--kind", "text,random", "--small-files", "20", "--json", "r.json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        JsonNode inputs = json.get("inputs");
        assertEquals(3, inputs.size());
        assertEquals("gen-text-200K", inputs.get(0).get("name").asText());
        assertEquals(200_000, inputs.get(0).get("bytes").asLong());
        assertEquals(20, inputs.get(2).get("files").asInt());
        JsonNode results = json.get("results");
        assertTrue(results.get(0).get("ratio").asDouble() > 2, "text compresses");
        assertTrue(results.get(1).get("ratio").asDouble() < 1.001, "random does not");
        assertEquals(20, results.get(2).get("files").asInt());
    }

    @Test
    void measuresMmhInProcessAndThroughItsLauncher() throws Exception {
        // a stand-in launcher: mmh's CLI is built after this module, so the test checks the runner's contract
        // (subcommand, stdin to stdout, exit code) with gzip doing the work
        script("fake-mmh", "case \"$1\" in compress) exec gzip -c -1;; decompress) exec gzip -d -c;; *) exit 9;; esac");
        Result r = run(System.getenv("PATH"), "--modes", "lib,cli", "--mmh", bin.resolve("fake-mmh").toString(),
                "--codecs", "zstd:1", "--json", "r.json", "--", "data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(rows(r.out(), "mmh lib zstd").get(0).startsWith("| lib | mmh lib zstd | 1 | 1 |"), r.out());
        assertTrue(rows(r.out(), "mmh cli zstd").get(0).startsWith("| cli | mmh cli zstd | 1 | 1 |"), r.out());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("r.json").toFile()).get("results");
        // in-process: the same archive the library writes when called directly
        long expected = 0;
        for (String f : List.of("a.txt", "b.bin")) {
            java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(data.resolve(f))) {
                dev.mmh.engine.Mmh.compress(in, archive,
                        dev.mmh.engine.CompressOptions.builder().codec("zstd").level(1).threads(1).build());
            }
            expected += archive.size();
        }
        assertEquals(expected, results.get(0).get("compressed_bytes").asLong());
        assertEquals(gzipSize(data.resolve("a.txt"), 1) + gzipSize(data.resolve("b.bin"), 1),
                results.get(1).get("compressed_bytes").asLong());
    }

    @Test
    void skipsTheCliOnManySmallFilesButMeasuresThemInProcessAndWithTools() throws Exception {
        script("fake-mmh", "echo 'must not run' >&2; exit 9");
        int count = dev.mmh.bench.Bench.CLI_MAX_FILES + 1;
        Result r = run(System.getenv("PATH"), "--modes", "lib,cli,tool", "--mmh", bin.resolve("fake-mmh").toString(),
                "--tools", "gzip", "--codecs", "gzip:1", "--small-files", Integer.toString(count), "--json", "r.json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("mmh cli rows skipped on small-files-" + count), r.err());
        assertTrue(rows(r.out(), "mmh cli deflate").get(0).contains("| skipped: "), r.out());
        assertTrue(rows(r.out(), "mmh lib deflate").get(0).endsWith("| ok |"), r.out());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("r.json").toFile()).get("results");
        assertEquals("skipped", results.get(1).get("status").asText());
        assertEquals(count, results.get(2).get("files").asInt());
        assertEquals("ok", results.get(2).get("status").asText());
    }

    @Test
    void inputsWithTheSameNameAreKeptApart() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other/data"));
        write(other.resolve("c.txt"), DataKind.TEXT, 5_000);
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1", "--out", "out",
                "--", "data", "other/data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("## data\n") && r.out().contains("## data-2\n"), r.out());
        assertTrue(Files.exists(dir.resolve("out/data-2-ratio-vs-compress.png")));
    }

    /** That the runner's output is standard gzip is GzipLibraryRunnerTest's (mmh-bench). */
    @Test
    void measuresMmhGzipBesideGzip() throws Exception {
        Result r = run(System.getenv("PATH"), "--modes", "lib,tool", "--tools", "gzip", "--codecs", "gzip:6", "--", "data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(rows(r.out(), "mmh lib gzip").get(0).startsWith("| lib | mmh lib gzip | 6 | 1 |"), r.out());
        assertTrue(rows(r.out(), "mmh lib deflate").get(0).endsWith("| ok |"), r.out());
    }

    @Test
    void measuresMmhsContentAwareModeInProcess() throws Exception {
        Result r = run(System.getenv("PATH"), "--modes", "lib", "--codecs", "auto:fast", "--json", "r.json", "--", "data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(rows(r.out(), "mmh lib auto").get(0).endsWith("| ok |"), r.out());
        long expected = 0;
        for (String f : List.of("a.txt", "b.bin")) {
            java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(data.resolve(f))) {
                dev.mmh.engine.Mmh.compress(in, archive, dev.mmh.engine.CompressOptions.builder().codec("zstd").level(1)
                        .threads(1).goal(dev.mmh.analysis.Goal.FAST).build());
            }
            expected += archive.size();
        }
        JsonNode row = new ObjectMapper().readTree(dir.resolve("r.json").toFile()).get("results").get(0);
        assertEquals(expected, row.get("compressed_bytes").asLong());
    }

    @Test
    void takesPathsThatFollowTheCodecList() {
        Result r = run(System.getenv("PATH"), "--modes", "tool", "--tools", "gzip", "--codecs", "gzip:1", "data");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("## data"), r.out());
    }

    @Test
    void rejectsUnknownCodecsAndTools() {
        assertEquals(2, run(System.getenv("PATH"), "--codecs", "snappy", "--", "data").exit());
        assertEquals(2, run(System.getenv("PATH"), "--tools", "winzip", "data").exit());
        assertEquals(2, run(System.getenv("PATH")).exit(), "nothing to measure is a usage error");
    }
}
