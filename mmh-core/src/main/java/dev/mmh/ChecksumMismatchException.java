package dev.mmh;

/** A stored checksum or hash disagrees with the one computed from the data. */
public class ChecksumMismatchException extends CorruptDataException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String what, String expected, String actual, long offset, long block) {
        super(what + " mismatch (expected " + expected + ", actual " + actual + ")", offset, block);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
