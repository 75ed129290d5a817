package dev.mmh.bench;

import java.io.IOException;

/** A compression or decompression step failed: the tool exited non-zero, crashed, or was not found. */
public final class StepFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public StepFailedException(String message) {
        super(message);
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
