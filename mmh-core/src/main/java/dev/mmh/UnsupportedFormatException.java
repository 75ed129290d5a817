package dev.mmh;

/** The archive uses a format version, codec, transform or feature that this build of mmh does not support. */
public class UnsupportedFormatException extends MmhException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(message);
    }
}
