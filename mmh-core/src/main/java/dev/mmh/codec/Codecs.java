package dev.mmh.codec;

import dev.mmh.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The codecs available in this process: the built-ins and any that a jar on the class path registers under
 * {@code META-INF/services/dev.mmh.codec.Codec}. Ids and names must be unique; the first one found wins.
 */
public final class Codecs {
    public static final int STORE = 0;
    public static final int ZSTD = 1;
    public static final int LZ4 = 2;
    public static final int DEFLATE = 3;
    public static final int BROTLI = 4;
    public static final int XZ = 5;
    /** Block sorting (Burrows-Wheeler), {@link dev.mmh.codec.bwt.BwtCodec}. */
    public static final int BWT = 6;
    /** Context-modelled number arrays, {@link dev.mmh.codec.numeric.NumericCodec}. */
    public static final int NUMERIC = 7;

    private static final class Holder {
        static final Codec[] BY_ID = new Codec[256];
        static final List<Codec> ALL;

        static {
            List<Codec> all = new ArrayList<>();
            var it = ServiceLoader.load(Codec.class, Codecs.class.getClassLoader()).iterator();
            while (true) {
                Codec c;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    c = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    // a codec whose library cannot load is simply absent; --version says why
                    continue;
                }
                if (c.id() < 0 || c.id() > 255 || BY_ID[c.id()] != null) {
                    continue;
                }
                BY_ID[c.id()] = c;
                all.add(c);
            }
            all.sort(Comparator.comparingInt(Codec::id));
            ALL = Collections.unmodifiableList(all);
        }
    }

    private Codecs() {
    }

    /** All codecs, ordered by id. */
    public static List<Codec> all() {
        return Holder.ALL;
    }

    /** The codec with this archive id. */
    public static Codec byId(int id) throws UnsupportedFormatException {
        Codec c = id >= 0 && id < 256 ? Holder.BY_ID[id] : null;
        if (c == null) {
            throw new UnsupportedFormatException("unknown codec id " + id);
        }
        return c;
    }

    /** The codec with this command-line name (case-insensitive). */
    public static Codec byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Codec c : Holder.ALL) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown codec '" + name + "' (known: " + names() + ")");
    }

    /** Comma-separated names of all codecs. */
    public static String names() {
        StringBuilder s = new StringBuilder();
        for (Codec c : Holder.ALL) {
            s.append(s.length() == 0 ? "" : ", ").append(c.name());
        }
        return s.toString();
    }
}
