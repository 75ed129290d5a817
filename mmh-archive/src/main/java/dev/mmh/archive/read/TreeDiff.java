package dev.mmh.archive.read;

import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Names;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * What changed between two versions of a folder: entries added, removed, changed in content or only in metadata,
 * in path order. Directories whose trees have the same ID are identical to the last byte and are not descended
 * into, so comparing two versions of a large, mostly unchanged tree reads only the trees that differ. Not
 * thread-safe.
 */
public final class TreeDiff {
    /** How an entry changed. */
    public enum Change {
        /** Only in the newer version. */
        ADDED('+'),
        /** Only in the older version. */
        REMOVED('-'),
        /** Its content (or link target, or type) differs. */
        MODIFIED('M'),
        /** Same content; mode, time, owner or attributes differ. */
        METADATA('m');

        private final char symbol;

        Change(char symbol) {
            this.symbol = symbol;
        }

        /** One character for listings: + - M m. */
        public char symbol() {
            return symbol;
        }
    }

    /** Receives the differences in path order. */
    public interface Listener {
        /**
         * @param before the entry in the older version ({@code null} when added)
         * @param after the entry in the newer version ({@code null} when removed)
         */
        void changed(byte[] path, Change change, Entry before, Entry after) throws IOException;
    }

    private TreeDiff() {
    }

    /**
     * Compares the version whose root is {@code a} (older) with {@code b} (newer); both views read the same archive.
     * Below an added or removed directory only the directory itself is reported.
     */
    public static void diff(FolderView a, FolderView b, Listener out) throws IOException {
        /** Two directories being compared: their entries and the next of each to look at. */
        final class Frame {
            final byte[] path;
            final List<Entry> l;
            final List<Entry> r;
            int i;
            int j;

            Frame(byte[] path, List<Entry> l, List<Entry> r) {
                this.path = path;
                this.l = l;
                this.r = r;
            }
        }
        if (a.root().equals(b.root())) {
            return;
        }
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(new byte[0], a.entries(a.root()), b.entries(b.root())));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.i == f.l.size() && f.j == f.r.size()) {
                stack.pop();
                continue;
            }
            int c = f.i == f.l.size() ? 1 : f.j == f.r.size() ? -1 : f.l.get(f.i).compareName(f.r.get(f.j));
            if (c < 0) {
                Entry e = f.l.get(f.i++);
                out.changed(Names.join(f.path, e.name()), Change.REMOVED, e, null);
            } else if (c > 0) {
                Entry e = f.r.get(f.j++);
                out.changed(Names.join(f.path, e.name()), Change.ADDED, null, e);
            } else {
                Entry x = f.l.get(f.i++);
                Entry y = f.r.get(f.j++);
                byte[] path = Names.join(f.path, x.name());
                if (x.type() == EntryType.DIRECTORY && y.type() == EntryType.DIRECTORY) {
                    if (!sameMetadata(x, y)) {
                        out.changed(path, Change.METADATA, x, y);
                    }
                    if (!x.tree().equals(y.tree())) { // the same tree ID: the same bytes below, nothing to read
                        if (stack.size() >= dev.mmh.archive.format.Limits.MAX_DEPTH) {
                            throw new dev.mmh.CorruptDataException("trees deeper than "
                                    + dev.mmh.archive.format.Limits.MAX_DEPTH, -1, -1);
                        }
                        stack.push(new Frame(path, a.entries(x.tree()), b.entries(y.tree())));
                    }
                } else if (!sameContent(x, y)) {
                    out.changed(path, Change.MODIFIED, x, y);
                } else if (!sameMetadata(x, y)) {
                    out.changed(path, Change.METADATA, x, y);
                }
            }
        }
    }

    /** Same type and same bytes: chunk lists (or list blobs), link targets, device numbers. */
    static boolean sameContent(Entry x, Entry y) {
        if (x.type() != y.type()) {
            return false;
        }
        return switch (x.type()) {
            case FILE -> x.size() == y.size() && Objects.equals(x.chunks(), y.chunks())
                    && Objects.equals(x.chunkList(), y.chunkList());
            case SYMLINK, HARDLINK -> Arrays.equals(x.target(), y.target());
            case CHAR_DEVICE, BLOCK_DEVICE -> x.major() == y.major() && x.minor() == y.minor();
            default -> true;
        };
    }

    static boolean sameMetadata(Entry x, Entry y) {
        return x.mode() == y.mode() && x.mtimeSeconds() == y.mtimeSeconds() && x.mtimeNanos() == y.mtimeNanos()
                && Objects.equals(x.owner(), y.owner()) && x.xattrs().equals(y.xattrs()) && x.sparse() == y.sparse();
    }
}
