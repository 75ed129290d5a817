package dev.mmh.format;

import dev.mmh.MmhException;

/**
 * Reads an {@link EmptyBlocksArchive} with {@link ArchiveStreamReader} and prints what happened, for
 * {@code StreamLimitsTest} to run in a JVM with a small heap: {@code blocks N}, then {@code ok CONTENT-ID} or
 * {@code SimpleExceptionName: message}. Arguments: the number of blocks, and "index" to end with index and footer,
 * or "rebuild" to rebuild the index from the blocks with {@link IndexBuilder} instead.
 */
public final class ManyBlocksMain {
    private ManyBlocksMain() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        if (args.length > 1 && args[1].equals("rebuild")) {
            try {
                Index idx = IndexBuilder.fromBlocks((b, pos, len) -> EmptyBlocksArchive.readAt(n, b, pos, len),
                        EmptyBlocksArchive.blockOffset(n));
                System.out.println("blocks " + idx.entries().size());
                System.out.println("ok " + Format.hex(idx.contentId()));
            } catch (MmhException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return;
        }
        boolean withIndex = args.length > 1 && args[1].equals("index");
        ArchiveStreamReader r = new ArchiveStreamReader(new EmptyBlocksArchive(n, withIndex));
        byte[] payload = new byte[4];
        String outcome;
        try {
            while (r.next(len -> payload) != null) {
                // empty blocks: nothing to decode
            }
            outcome = "ok " + Format.hex(r.contentId());
        } catch (MmhException e) {
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        System.out.println("blocks " + r.blocks());
        System.out.println(outcome);
    }
}
