package dev.mmh;

/** A declared size or the memory an operation needs is above the allowed limit; nothing was allocated for it. */
public class LimitExceededException extends MmhException {
    private static final long serialVersionUID = 1L;
    private final long needed;
    private final long allowed;

    public LimitExceededException(String what, long needed, long allowed) {
        this(what, needed, allowed, "bytes");
    }

    /**
     * A limit counted in {@code unit}s, e.g. blocks: "{@code what} needs {@code needed} {@code unit}, the limit is
     * {@code allowed}".
     */
    public LimitExceededException(String what, long needed, long allowed, String unit) {
        super(what + " needs " + needed + " " + unit + ", the limit is " + allowed);
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
