package dev.mmh.engine;

import dev.mmh.analysis.TensorInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where blocks should end, and what the bytes are, when the input's own header says so: for a weights file
 * (safetensors, GGUF) blocks are cut where the element type changes (the header, then runs of tensors of one
 * type), so that no block mixes float16 with int8 or JSON with floats, and each block carries the declared type
 * to the analysis. Runs of one type are still cut every block size; pieces shorter than {@link #MIN_PIECE} are
 * not cut off but stay with the block they start in. Immutable and thread-safe.
 */
public final class BlockPlan {
    /** Shortest block a type change may start. */
    public static final int MIN_PIECE = 64 * 1024;

    /** Regions of one declared type, sorted, not overlapping: [start, end). */
    private final long[] start;
    private final long[] end;
    private final String[] dtype;

    private BlockPlan(long[] start, long[] end, String[] dtype) {
        this.start = start;
        this.end = end;
        this.dtype = dtype;
    }

    /**
     * A plan from the tensors of a file; bytes outside every tensor (the header, padding) form regions of their
     * own with no type.
     */
    public static BlockPlan fromTensors(List<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.removeIf(t -> t.length() <= 0);
        sorted.sort(Comparator.comparingLong(TensorInfo::offset));
        List<long[]> spans = new ArrayList<>();
        List<String> types = new ArrayList<>();
        long at = 0;
        for (TensorInfo t : sorted) {
            if (t.offset() < at) {
                continue; // overlapping entries: keep the first, the data is compressed either way
            }
            if (t.offset() > at) {
                add(spans, types, at, t.offset(), null);
            }
            add(spans, types, t.offset(), t.offset() + t.length(), t.dtype());
            at = t.offset() + t.length();
        }
        long[] s = new long[spans.size()];
        long[] e = new long[spans.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = spans.get(i)[0];
            e[i] = spans.get(i)[1];
        }
        return new BlockPlan(s, e, types.toArray(new String[0]));
    }

    /** Appends a region, merging it into the previous one when the type is the same. */
    private static void add(List<long[]> spans, List<String> types, long s, long e, String type) {
        int last = spans.size() - 1;
        if (last >= 0 && spans.get(last)[1] == s && Objects.equals(types.get(last), type)) {
            spans.get(last)[1] = e;
            return;
        }
        spans.add(new long[] {s, e});
        types.add(type);
    }

    /** Index of the region holding {@code pos}, or -1 if none does (past the last tensor). */
    private int regionAt(long pos) {
        int lo = 0;
        int hi = start.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] <= pos) {
                lo = mid + 1;
            } else if (start[mid] > pos) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Length of the block that starts at {@code pos}: at most {@code blockSize}, shorter at a type change. */
    public int nextLength(long pos, int blockSize) {
        long limit = pos + blockSize;
        int r = regionAt(pos);
        if (r < 0) {
            return blockSize;
        }
        // the first type change at least MIN_PIECE into the block
        for (int i = r; i < start.length && end[i] < limit; i++) {
            if (end[i] - pos >= MIN_PIECE) {
                return (int) (end[i] - pos);
            }
        }
        return blockSize;
    }

    /**
     * The declared type of {@code [pos, pos + len)} when one type covers at least 90% of it, else {@code null}.
     */
    public String dtypeOf(long pos, int len) {
        int r = regionAt(pos);
        if (r < 0 || len <= 0) {
            return null;
        }
        long stop = pos + len;
        Map<String, Long> bytes = new HashMap<>();
        for (int i = r; i < start.length && start[i] < stop; i++) {
            if (dtype[i] != null) {
                long covered = Math.min(stop, end[i]) - Math.max(pos, start[i]);
                bytes.merge(dtype[i], covered, Long::sum);
            }
        }
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            if (e.getValue() >= 0.9 * len) {
                return e.getKey();
            }
        }
        return null;
    }
}
