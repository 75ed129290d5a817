package dev.mmh.archive.format;

import java.util.Arrays;

/** One extended attribute: its name and value, as bytes. Immutable. */
public final class Xattr implements Comparable<Xattr> {
    private final byte[] name;
    private final byte[] value;

    public Xattr(byte[] name, byte[] value) {
        this.name = name.clone();
        this.value = value.clone();
    }

    public byte[] name() {
        return name.clone();
    }

    public byte[] value() {
        return value.clone();
    }

    @Override
    public int compareTo(Xattr o) {
        return Arrays.compareUnsigned(name, o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr x && Arrays.equals(name, x.name) && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 31 + Arrays.hashCode(value);
    }
}
