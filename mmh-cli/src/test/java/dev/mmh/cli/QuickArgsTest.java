package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli-free parser of repair and verify gives exactly what picocli gives, and leaves the rest to it. */
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

    /** The fields picocli sets for {@code args}, as one comparable string. */
    private static String viaPicocli(String... args) {
        CommandLine cl = picocli(args[0]);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        Object cmd = pr.subcommand().commandSpec().userObject();
        return fields(cmd);
    }

    private static String fields(Object cmd) {
        if (cmd instanceof RepairCommand r) {
            return "repair " + r.file + " o=" + r.output + " f=" + r.force + " " + common(r.common);
        }
        VerifyCommand v = (VerifyCommand) cmd;
        return "verify " + v.files + " " + common(v.common);
    }

    private static String common(Common c) {
        return "q=" + c.quiet + " v=" + c.verbose + " T=" + c.threads;
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
            {"verify", "a.mmh"},
            {"verify", "a.mmh", "b.mmh", "c"},
            {"verify", "-q", "-T", "1", "a", "b"},
            {"verify", "--verbose", "--threads=4", "a"},
            {"t", "a", "-q"},
            {"test", "a"},
        };
        for (String[] args : lines) {
            Object quick = QuickArgs.parse(args);
            assertNotNull(quick, String.join(" ", args));
            assertEquals(viaPicocli(args), fields(quick), String.join(" ", args));
            Errors.verbose = false;
        }
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
            {"repair", "--", "a"},
            {"repair", "-", "a"},
            {"repair", "--bogus", "a"},
            {"verify"},
            {"verify", "-f", "a"}, // repair's options are not verify's
            {"verify", "-o", "x", "a"},
            {"compress", "a"},
            {"decompress", "a"},
            {"--help"},
            {},
        };
        for (String[] args : lines) {
            assertNull(QuickArgs.parse(args), String.join(" ", args));
        }
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
}
