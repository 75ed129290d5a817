package dev.mmh.crypto.age;

import dev.mmh.CorruptDataException;

/** ASCII armor that is not the strict PEM encoding age writes: CCTV's "armor failure". Exit code 3 in the CLI. */
public class AgeArmorException extends CorruptDataException {
    private static final long serialVersionUID = 1L;

    public AgeArmorException(String reason, long line) {
        super("age armor, line " + line + ": " + reason, -1, -1);
    }
}
