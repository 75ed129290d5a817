package dev.mmh.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages of a bench run: failures (which make the exit code non-zero) and notes (which do not), each printed at
 * once as one line on the error stream and kept for the report. Used by one thread at a time.
 */
public final class Problems {
    private final PrintWriter err;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Problems(PrintWriter err) {
        this.err = err;
    }

    /** Something the user asked for could not be done or gave a wrong result. */
    public void fail(String message) {
        failures.add(message);
        err.println("FAILED: " + message);
        err.flush();
    }

    /** Something worth knowing that is not an error (a tool not installed, a codec mmh lacks). */
    public void note(String message) {
        notes.add(message);
        err.println("note: " + message);
        err.flush();
    }

    public boolean failed() {
        return !failures.isEmpty();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
