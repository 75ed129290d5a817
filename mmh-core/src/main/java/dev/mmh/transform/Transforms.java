package dev.mmh.transform;

import dev.mmh.UnsupportedFormatException;
import java.util.List;
import java.util.Locale;

/**
 * The transforms by their archive id. Ids are stable and written into every block header:
 *
 * <table>
 * <caption>transform ids</caption>
 * <tr><th>id</th><th>name</th><th>param</th></tr>
 * <tr><td>0</td><td>none</td><td>0</td></tr>
 * <tr><td>1</td><td>periodic</td><td>period in bytes, 1..65536</td></tr>
 * <tr><td>2</td><td>delta</td><td>{@link DeltaTransform#param(int, int, boolean)}</td></tr>
 * <tr><td>3</td><td>planes</td><td>{@link BytePlanesTransform#param(int, boolean)}</td></tr>
 * <tr><td>4</td><td>x86</td><td>0</td></tr>
 * </table>
 */
public final class Transforms {
    public static final int NONE = 0;
    public static final int PERIODIC = 1;
    public static final int DELTA = 2;
    public static final int PLANES = 3;
    public static final int X86 = 4;

    private static final Transform[] BY_ID = {
        new IdentityTransform(), new PeriodicTransform(), new DeltaTransform(), new BytePlanesTransform(),
        new X86Transform()
    };

    private Transforms() {
    }

    /** All transforms, ordered by id. */
    public static List<Transform> all() {
        return List.of(BY_ID);
    }

    /** The transform with this archive id. */
    public static Transform byId(int id) throws UnsupportedFormatException {
        if (id < 0 || id >= BY_ID.length) {
            throw new UnsupportedFormatException("unknown transform id " + id);
        }
        return BY_ID[id];
    }

    /** The transform with this name (case-insensitive). */
    public static Transform byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Transform t : BY_ID) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transform '" + name + "'");
    }

    static dev.mmh.CorruptDataException corrupt(String what) {
        return new dev.mmh.CorruptDataException(what, -1, -1);
    }

    static void checkRange(byte[] a, int off, int len) {
        if (off < 0 || len < 0 || off > a.length - len) {
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " outside array of " + a.length);
        }
    }
}
