package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.cli.CommandDef.Opt;
import dev.mmh.cli.CommandDef.Param;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The picocli-free parser gives exactly what picocli gives, for every option of every command it runs (both are built
 * from {@link Commands}), and leaves everything else to picocli.
 */
class QuickArgsTest {
    @TempDir
    Path dir;

    @AfterEach
    void resetVerbose() {
        Errors.verbose = false;
    }

    private static CommandLine picocli(String name) {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new PrintWriter(sink), new PrintWriter(sink), name);
    }

    /** The command object picocli makes for {@code args}, as one comparable string. */
    private static String viaPicocli(String... args) {
        CommandLine cl = picocli(args[0]);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        Object cmd = ((CommandDef.Run) pr.subcommand().commandSpec().userObject()).command();
        Errors.verbose = false;
        return fields(cmd);
    }

    /** The command object QuickArgs makes for {@code args}, as one comparable string; null if it leaves it. */
    private static String viaQuickArgs(String... args) {
        Object cmd = QuickArgs.parse(args);
        Errors.verbose = false;
        return cmd == null ? null : fields(cmd);
    }

    /**
     * Every field of a command object (and of the option groups it holds) with its value, except those that differ by
     * design between the two: picocli's model, and the streams of a quick run.
     */
    static String fields(Object o) {
        StringBuilder b = new StringBuilder(o.getClass().getSimpleName());
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Set.of("spec", "out", "err").contains(f.getName())) {
                continue;
            }
            f.setAccessible(true);
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            b.append(' ').append(f.getName()).append('=');
            b.append(v instanceof Common || v instanceof OutputOptions ? "{" + fields(v) + "}" : String.valueOf(v));
        }
        return b.toString();
    }

    /** A value the option takes, unlike its default. */
    private static String sample(Opt<?> o) {
        return switch (o.value()) {
            case STRING -> "s1";
            case PATH -> "p1";
            case INT -> "3";
            case SIZE -> "64K";
            case STRINGS -> "s1";
        };
    }

    /** Every way to write option {@code o} with its sample value: each name, value apart, attached, after {@code =}. */
    private static List<List<String>> spellings(Opt<?> o) {
        List<List<String>> all = new ArrayList<>();
        for (String n : o.names()) {
            if (o.value() == null) {
                all.add(List.of(n));
            } else if (n.startsWith("--")) {
                all.add(List.of(n + "=" + sample(o)));
                if (o.fallback() == null) {
                    all.add(List.of(n, sample(o)));
                }
            } else {
                all.add(List.of(n, sample(o)));
                all.add(List.of(n + sample(o)));
            }
        }
        return all;
    }

    /** Parameters the command takes: as many as it needs, and two where it takes several. */
    private static List<String> files(CommandDef d) {
        Param p = d.param();
        return p.many() ? List.of("a.mmh", "b c.mmh") : List.of("a.mmh");
    }

    private static String[] line(String command, List<String> before, List<String> after) {
        List<String> l = new ArrayList<>();
        l.add(command);
        l.addAll(before);
        l.addAll(after);
        return l.toArray(new String[0]);
    }

    @Test
    void everyOptionOfEveryQuickCommandParsesAsPicocliParsesIt() {
        int quick = 0;
        for (CommandDef d : Commands.ALL) {
            if (!d.quick()) {
                continue;
            }
            quick++;
            List<String> files = files(d);
            for (String name : names(d)) {
                String plain = viaQuickArgs(line(name, List.of(), files));
                assertNotNull(plain, name);
                assertEquals(viaPicocli(line(name, List.of(), files)), plain, name);
                for (Opt<?> o : d.options()) {
                    for (List<String> spelling : spellings(o)) {
                        // before and after the files: picocli takes options anywhere
                        for (String[] args : List.of(line(name, spelling, files), line(name, files, spelling))) {
                            String what = String.join(" ", args);
                            String q = viaQuickArgs(args);
                            assertNotNull(q, what);
                            assertEquals(viaPicocli(args), q, what);
                            assertNotEquals(plain, q, what + ": the option is not read by the command");
                        }
                    }
                }
            }
        }
        assertEquals(8, quick, "compress, decompress, verify, list, cat, repair, encrypt, decrypt");
    }

    private static List<String> names(CommandDef d) {
        List<String> n = new ArrayList<>(d.aliases());
        n.add(0, d.name());
        return n;
    }

    @Test
    void anOptionOfAnotherCommandIsUnknownToBoth() {
        Set<String> everyName = new LinkedHashSet<>();
        for (CommandDef d : Commands.ALL) {
            for (Opt<?> o : d.options()) {
                everyName.addAll(o.names());
            }
        }
        int tried = 0;
        for (CommandDef d : Commands.ALL) {
            if (!d.quick()) {
                continue;
            }
            for (String n : everyName) {
                if (d.options().stream().anyMatch(o -> o.names().contains(n))) {
                    continue;
                }
                CommandLine cl = picocli(d.name());
                if (cl.getSubcommands().get(d.name()).getCommandSpec().findOption(n) != null) {
                    continue; // --version of the commands without one of their own: -V, --version (picocli's)
                }
                String[] args = line(d.name(), List.of(n), files(d));
                assertNull(QuickArgs.parse(args), String.join(" ", args));
                assertThrows(CommandLine.UnmatchedArgumentException.class, () -> cl.parseArgs(args),
                        String.join(" ", args));
                tried++;
            }
        }
        assertTrue(tried > 20, "tried " + tried);
    }

    @Test
    void acceptedCommandLinesParseAsPicocliParsesThem() {
        String[][] lines = {
            {"repair", "a.mmh"},
            {"repair", "-q", "a.mmh"},
            {"repair", "a.mmh", "-o", "out.mmh", "-f"},
            {"repair", "--output", "o", "--force", "--quiet", "x"},
            {"repair", "--output=o b", "-T", "3", "x y"},
            {"repair", "--threads=0", "-v", "a"},
            {"repair", "-T", "12", "-o", "x", "a"},
            {"repair", "--", "-a"}, // after --, a file name
            {"repair", "-"},
            {"verify", "a.mmh"},
            {"verify", "a.mmh", "b.mmh", "c"},
            {"verify", "-q", "-T", "1", "a", "b"},
            {"verify", "--verbose", "--threads=4", "a"},
            {"verify", "a", "--", "-q", "--"},
            {"verify", "@a"}, // a file name, not a file of arguments
            {"t", "a", "-q"},
            {"test", "a"},
            {"compress", "a"},
            {"c", "a", "b", "c d"},
            {"compress"},
            {"compress", "-"}, // stdin
            {"compress", "-", "a", "-"},
            {"compress", "-q", "-T", "2", "--max", "a", "-o", "a.mmh", "-f"},
            {"compress", "--fast", "--codec", "lz4", "-l", "9", "-B", "4M", "--rm", "-k", "a"},
            {"compress", "--codec=xz", "--level=6", "--extreme", "--block-size=64MiB", "a"},
            {"compress", "--recovery", "5%", "--hash", "sha256", "-c", "a"},
            {"compress", "--recovery=10%", "--hash=xxh64", "--stdout", "--force", "--keep", "--output=o", "a"},
            {"compress", "--max", "--fast", "a"}, // parsed alike; the command itself refuses the pair
            {"compress", "-T2", "-l19", "-B4M", "-oout.mmh", "a"},
            {"compress", "--long=24", "a"},
            {"compress", "-l", "0012", "a"},
            {"decompress", "a.mmh"},
            {"d", "a.mmh", "b.mmh", "-q", "-T", "2"},
            {"d", "-T0", "a.mmh"},
            {"compress", "-o", "a"}, // -o takes the name: stdin to a, as picocli reads it
            {"compress", "-o", "a=b", "c"},
            {"compress", "--output=a=b", "c"},
            {"repair", "-T1", "-oout", "a.mmh"},
            {"x", "-c", "-f", "--rm", "a.mmh"},
            {"decompress", "--output=o", "--verbose", "--threads=3", "-k", "a.mmh"},
            {"encrypt", "-r", "age1a", "big", "-o", "-"},
            // an option made to be repeated: every value, in order, however spelt
            {"encrypt", "-r", "age1a", "--recipient", "age1b", "-rage1c", "--recipient=age1d", "-R", "f", "x"},
            {"encrypt", "-a", "--passphrase-file", "p", "-f", "-T", "2", "x"},
            {"decrypt", "-i", "k1", "-i", "k2", "--identity=k3", "x.age", "-o", "-"},
            {"decrypt", "-"},
        };
        for (String[] args : lines) {
            String quick = viaQuickArgs(args);
            assertNotNull(quick, String.join(" ", args));
            assertEquals(viaPicocli(args), quick, String.join(" ", args));
        }
    }

    @Test
    void anArgumentFileIsAFileNameInBothParsers() throws Exception {
        // picocli would read @FILE as more arguments (here an unknown option) unless told not to
        Path list = dir.resolve("list");
        Files.writeString(list, "--bogus\n");
        String[] args = {"verify", "@" + list};
        assertNotNull(viaQuickArgs(args));
        assertEquals(viaPicocli(args), viaQuickArgs(args));
        assertTrue(viaPicocli(args).contains("@" + list), viaPicocli(args));
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        String[][] lines = {
            {"repair"}, // no file
            {"repair", "a", "b"}, // two files
            {"repair", "-h"},
            {"repair", "--help"},
            {"repair", "-V", "a"},
            {"repair", "-qf", "a"}, // grouped short options
            {"repair", "-o"}, // missing value
            {"repair", "-o", "-q", "a"}, // value that looks like an option
            {"repair", "-o", "x", "-o", "y", "a"}, // option twice
            {"repair", "-q", "--quiet", "a"},
            {"repair", "-T", "x", "a"}, // malformed number
            {"repair", "-T", "-1", "a"},
            {"repair", "--threads=", "a"},
            {"repair", "-", "a"}, // two files
            {"repair", "--bogus", "a"},
            {"verify"},
            {"verify", "-f", "a"}, // repair's options are not verify's
            {"verify", "-o", "x", "a"},
            {"compress", "-l", "-3", "a"}, // a negative level
            {"compress", "--long", "a"}, // an optional value not attached with =: picocli decides
            {"compress", "-B", "4X", "a"}, // malformed size
            {"compress", "-l", "x", "a"},
            {"compress", "-T=2", "a"}, // picocli drops the =
            {"compress", "-o=x", "a"},
            {"repair", "-o=x", "a"},
            {"compress", "-l", "1234567890", "a"}, // more digits than an int surely holds
            {"compress", "-l", "+3", "a"},
            {"protect", "--recovery", "5%", "a"}, // not a quick command
            {"compress", "-qf", "a"}, // grouped flags
            {"compress", "-T2x", "a"},
            {"compress", "--max", "--max", "a"},
            {"compress", "--quiet=true", "a"},
            {"compress", "a", "--codec"}, // missing value
            {"compress", "-h"},
            {"compress", "--version"},
            {"decompress", "--max", "a.mmh"}, // compress's options are not decompress's
            {"decompress", "--codec", "zstd", "a.mmh"},
            {"verify", "-c", "a"},
            {"repair", "--rm", "a"},
            {"info", "a"},
            {"protect", "a"},
            {"--help"},
            {},
        };
        for (String[] args : lines) {
            assertNull(QuickArgs.parse(args), String.join(" ", args));
        }
        Errors.verbose = false;
    }

    @Test
    void fallbackStillGivesPicocliErrors() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new String[] {"repair", "-o"}, new PrintWriter(o, true), new PrintWriter(e, true));
        assertEquals(ExitCode.USAGE, code);
        assertTrue(e.toString().contains("-o"), e.toString());
        code = Main.execute(new String[] {"verify", "--bogus", "a"}, new PrintWriter(o, true), new PrintWriter(e, true));
        assertEquals(ExitCode.USAGE, code);
        assertTrue(e.toString().contains("--bogus"), e.toString());
    }

    @Test
    void quickRunsReportLikeThePicocliRun() throws Exception {
        Path src = dir.resolve("a.txt");
        Files.write(src, "some text to compress and check, some text to compress and check\n".repeat(500).getBytes());
        Path arc = dir.resolve("a.mmh");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(ExitCode.OK, Main.execute(new String[] {"compress", "-q", "--recovery", "10%", src.toString(),
            "-o", arc.toString()}, new PrintWriter(o, true), new PrintWriter(e, true)));
        for (String cmd : List.of("verify", "repair")) {
            StringWriter qo = new StringWriter();
            StringWriter qe = new StringWriter();
            String[] args = {cmd, arc.toString()};
            assertNotNull(QuickArgs.parse(args));
            int quick = QuickArgs.tryRun(args, new PrintWriter(qo, true), new PrintWriter(qe, true));
            StringWriter po = new StringWriter();
            StringWriter pe = new StringWriter();
            int slow = picocli(cmd).setOut(new PrintWriter(po, true)).setErr(new PrintWriter(pe, true)).execute(args);
            assertEquals(slow, quick, cmd);
            assertEquals(po.toString(), qo.toString(), cmd);
            assertEquals(pe.toString(), qe.toString(), cmd);
            assertNotEquals("", qo.toString(), cmd);
        }
        // a missing file: the same one line and exit code either way
        String[] missing = {"verify", dir.resolve("nope.mmh").toString()};
        StringWriter qe = new StringWriter();
        int quick = QuickArgs.tryRun(missing, new PrintWriter(new StringWriter()), new PrintWriter(qe, true));
        StringWriter pe = new StringWriter();
        int slow = picocli("verify").setErr(new PrintWriter(pe, true)).execute(missing);
        assertEquals(ExitCode.IO_ERROR, quick);
        assertEquals(slow, quick);
        assertEquals(pe.toString(), qe.toString());
    }

    /** Runs {@code args} both ways: the quick parser (which must accept it) and picocli; same code, out and err. */
    private void sameBothWays(String[] quickArgs, String[] slowArgs) {
        StringWriter qo = new StringWriter();
        StringWriter qe = new StringWriter();
        Integer quick = Main.execute(quickArgs, new PrintWriter(qo, true), new PrintWriter(qe, true));
        Errors.verbose = false;
        StringWriter po = new StringWriter();
        StringWriter pe = new StringWriter();
        int slow = picocli(slowArgs[0]).setOut(new PrintWriter(po, true)).setErr(new PrintWriter(pe, true))
                .execute(slowArgs);
        Errors.verbose = false;
        String what = String.join(" ", quickArgs);
        assertEquals(slow, quick, what);
        assertEquals(po.toString(), qo.toString(), what);
        String qerr = qe.toString();
        String perr = pe.toString();
        for (int k = 0; k < quickArgs.length; k++) {
            if (!quickArgs[k].equals(slowArgs[k])) {
                qerr = qerr.replace(quickArgs[k], "ARG" + k);
                perr = perr.replace(slowArgs[k], "ARG" + k);
            }
        }
        assertEquals(perr, qerr, what);
    }

    @Test
    void quickCompressAndDecompressRunLikeThePicocliRuns() throws Exception {
        Path src = dir.resolve("a.txt");
        byte[] text = "a line of text for the quick path, a line of text\n".repeat(3000).getBytes();
        Files.write(src, text);
        String[] quick = {"compress", "-q", "--max", "-B", "64K", src.toString(), "-o", dir.resolve("q.mmh").toString()};
        String[] slow = quick.clone();
        slow[slow.length - 1] = dir.resolve("p.mmh").toString();
        assertNotNull(QuickArgs.parse(quick));
        sameBothWays(quick, slow);
        byte[] archive = Files.readAllBytes(dir.resolve("q.mmh"));
        assertTrue(archive.length < text.length / 10, "compressed: " + archive.length);
        assertTrue(java.util.Arrays.equals(archive, Files.readAllBytes(dir.resolve("p.mmh"))));

        String[] dq = {"decompress", "-q", dir.resolve("q.mmh").toString(), "-o", dir.resolve("q.out").toString()};
        String[] dp = {"decompress", "-q", dir.resolve("p.mmh").toString(), "-o", dir.resolve("p.out").toString()};
        assertNotNull(QuickArgs.parse(dq));
        sameBothWays(dq, dp);
        assertTrue(java.util.Arrays.equals(text, Files.readAllBytes(dir.resolve("q.out"))));

        // the output exists now: the same refusal either way, and the file is left alone
        sameBothWays(dq, dp);
        assertTrue(java.util.Arrays.equals(text, Files.readAllBytes(dir.resolve("q.out"))));
        // a missing input: one line, the same exit code
        String[] mq = {"decompress", dir.resolve("nope.mmh").toString(), "-o", dir.resolve("n1").toString()};
        String[] mp = {"decompress", dir.resolve("nope.mmh").toString(), "-o", dir.resolve("n2").toString()};
        sameBothWays(mq, mp);
        assertTrue(Files.notExists(dir.resolve("n1")));
    }

    @Test
    void aUsageErrorFoundByTheCommandIsPicocliUsageErrorInAQuickRun() throws Exception {
        Path src = dir.resolve("a.txt");
        Files.write(src, "x".repeat(5000).getBytes());
        String[][] lines = {
            {"compress", "--fast", "--max", src.toString(), "-o", dir.resolve("o1").toString()},
            {"compress", "--codec", "nosuch", src.toString(), "-o", dir.resolve("o2").toString()},
            {"compress", "--hash", "md5", src.toString(), "-o", dir.resolve("o3").toString()},
            {"compress", "--recovery", "5%", "-c", src.toString(), "-o", dir.resolve("o4").toString()},
            {"decompress", "a.mmh", "b.mmh", "-o", dir.resolve("o5").toString()},
        };
        for (String[] args : lines) {
            assertNotNull(QuickArgs.parse(args), String.join(" ", args));
            StringWriter qo = new StringWriter();
            StringWriter qe = new StringWriter();
            assertNull(QuickArgs.tryRun(args, new PrintWriter(qo, true), new PrintWriter(qe, true)));
            assertEquals("", qo.toString() + qe.toString());
            StringWriter e = new StringWriter();
            int code = Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(e, true));
            assertEquals(ExitCode.USAGE, code, String.join(" ", args));
            assertTrue(e.toString().startsWith("Usage:") || e.toString().contains("mmh "), e.toString());
            assertTrue(Files.notExists(Path.of(args[args.length - 1])), String.join(" ", args));
        }
    }
}
