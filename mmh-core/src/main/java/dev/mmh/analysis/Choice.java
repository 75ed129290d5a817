package dev.mmh.analysis;

import dev.mmh.codec.Codecs;
import dev.mmh.transform.Transforms;

/**
 * What to do with a block for one goal: a transform with its param, then a codec at a level.
 *
 * @param transformId archive id of the transform ({@link Transforms}), {@link Transforms#NONE} for none
 * @param transformParam its param
 * @param codecId archive id of the codec (see {@link dev.mmh.codec.Codecs}; 6 is {@code bwt})
 * @param codecName the codec's command-line name
 * @param level codec level
 * @param flags {@link dev.mmh.codec.CodecParams} flags, e.g. {@link dev.mmh.codec.CodecParams#EXTREME} for xz -9e
 */
public record Choice(int transformId, int transformParam, int codecId, String codecName, int level, int flags) {
    private static final int STORE = Codecs.STORE;
    private static final int ZSTD = Codecs.ZSTD;
    private static final int XZ = Codecs.XZ;
    private static final int BWT = Codecs.BWT;
    private static final int NUMERIC = Codecs.NUMERIC;

    static Choice store() {
        return new Choice(Transforms.NONE, 0, STORE, "store", 0, 0);
    }

    static Choice zstd(int level) {
        return new Choice(Transforms.NONE, 0, ZSTD, "zstd", level, 0);
    }

    /** xz -9e: preset 9 with the extreme flag. */
    static Choice xz9e() {
        return new Choice(Transforms.NONE, 0, XZ, "xz", 9, dev.mmh.codec.CodecParams.EXTREME);
    }

    static Choice bwt() {
        return new Choice(Transforms.NONE, 0, BWT, "bwt", 1, 0);
    }

    static Choice numeric() {
        return new Choice(Transforms.NONE, 0, NUMERIC, "numeric", 1, 0);
    }

    Choice with(int transform, int param) {
        return new Choice(transform, param, codecId, codecName, level, flags);
    }

    @Override
    public String toString() {
        String t = transformId == Transforms.NONE ? "" : name(transformId) + "(" + transformParam + ")+";
        String e = (flags & dev.mmh.codec.CodecParams.EXTREME) != 0 ? "e" : "";
        return t + codecName + (codecId == STORE ? "" : " " + level + e);
    }

    private static String name(int id) {
        try {
            return Transforms.byId(id).name();
        } catch (dev.mmh.UnsupportedFormatException e) {
            return "#" + id;
        }
    }
}
