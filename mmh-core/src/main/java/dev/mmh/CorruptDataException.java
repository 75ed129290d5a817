package dev.mmh;

/**
 * The input is an mmh archive, but a structure in it is damaged or inconsistent.
 *
 * <p>{@link #offset()} is the byte offset in the archive where the damage was found (-1 if unknown);
 * {@link #block()} is the 0-based block number it belongs to (-1 if it is not inside a block).
 */
public class CorruptDataException extends MmhException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final long block;
    private final String reason;

    public CorruptDataException(String reason, long offset, long block) {
        super(describe(reason, offset, block));
        this.offset = offset;
        this.block = block;
        this.reason = reason;
    }

    public CorruptDataException(String reason, long offset, long block, Throwable cause) {
        super(describe(reason, offset, block), cause);
        this.offset = offset;
        this.block = block;
        this.reason = reason;
    }

    private static String describe(String reason, long offset, long block) {
        StringBuilder s = new StringBuilder();
        if (block >= 0) {
            s.append("block ").append(block);
        }
        if (offset >= 0) {
            s.append(s.length() > 0 ? " at offset " : "at offset ").append(offset);
        }
        return s.length() == 0 ? reason : s.append(": ").append(reason).toString();
    }

    /** The message without the block and offset in front. */
    public String reason() {
        return reason;
    }

    public long offset() {
        return offset;
    }

    public long block() {
        return block;
    }
}
