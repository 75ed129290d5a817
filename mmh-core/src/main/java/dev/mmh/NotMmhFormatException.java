package dev.mmh;

/** The input is not an mmh archive at all (wrong magic, too short to hold a header). */
public class NotMmhFormatException extends MmhException {
    private static final long serialVersionUID = 1L;

    public NotMmhFormatException(String message) {
        super(message);
    }
}
