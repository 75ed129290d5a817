package dev.mmh.codec.rc;

import dev.mmh.codec.Codec;

/**
 * Base of mmh's own single-level codecs: id, name, level 1 and the version line ("mmh built-in 1", pure Java, unless a
 * codec with native parts says otherwise: {@code numeric} and {@code bwt} run in C where mmh-core's native library
 * loaded). Thread-safe.
 */
public abstract class PureJavaCodec implements Codec {
    private final int id;
    private final String name;

    protected PureJavaCodec(int id, String name) {
        this.id = id;
        this.name = name;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int minLevel() {
        return 1;
    }

    @Override
    public final int maxLevel() {
        return 1;
    }

    @Override
    public final int defaultLevel() {
        return 1;
    }

    /** The version line's start for mmh's own codecs: "mmh built-in 1" (the codec's block format version). */
    protected static final String BUILT_IN = "mmh built-in 1";

    @Override
    public String libraryVersion() {
        return BUILT_IN;
    }

    @Override
    public boolean isNative() {
        return false;
    }
}
