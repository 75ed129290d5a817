package dev.mmh.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Base of the tests that run mmh's commands in this JVM, as {@link Main#execute} runs them for the launcher: {@link
 * #mmh} runs one command line and keeps what it printed in {@link #out} and {@link #err}.
 */
abstract class InProcessCli {
    /** What the last {@link #mmh} call wrote to standard output. */
    protected String out;
    /** What the last {@link #mmh} call wrote to standard error. */
    protected String err;

    /** Runs {@code mmh args...} and returns its exit code. */
    protected int mmh(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }
}
