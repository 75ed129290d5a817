package dev.mmh;

/** A declared size or the memory an operation needs is above the allowed limit; nothing was allocated for it. */
public class LimitExceededException extends MmhException {
    private static final long serialVersionUID = 1L;
    private final long needed;
    private final long allowed;

    public LimitExceededException(String what, long needed, long allowed) {
        super(what + " needs " + needed + " bytes, the limit is " + allowed);
        this.needed = needed;
        this.allowed = allowed;
    }

    public long needed() {
        return needed;
    }

    public long allowed() {
        return allowed;
    }
}
