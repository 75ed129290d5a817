package dev.mmh.archive.read;

import dev.mmh.CorruptDataException;
import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Limits;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.format.Trees;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One version of a folder: its trees, read on demand from a {@link BlobSource}. Looks up entries by path, lists a
 * directory, walks the whole tree in path order and resolves a file's chunks. Every tree read is checked against its
 * ID (so no tree can contain itself), depth is limited to {@link Limits#MAX_DEPTH} and a walk visits no more entries
 * than the version declares, so a hostile archive cannot make it loop or run without end. Memory: a bounded cache of
 * decoded trees and one iterator per level of the path being walked. Not thread-safe.
 */
public final class FolderView {
    /** Receives a walk's entries in path order. */
    public interface Visitor {
        /** Every entry below the root, before the entries inside it; {@code path} is from the version's root. */
        void entry(byte[] path, Entry e) throws IOException;

        /** A directory, after every entry inside it. */
        default void leave(byte[] path, Entry dir) throws IOException {
        }

        /**
         * A directory whose listing could not be read: its entries are skipped. The default rethrows, so a walk stops
         * at the first damage; an extraction that goes on past damage records it instead.
         */
        default void damaged(byte[] path, IOException e) throws IOException {
            throw e;
        }
    }

    private static final int CACHE_TREES = 64;
    private final BlobSource source;
    private final Ids ids;
    private final BlobId root;
    private final long maxEntries;
    private final Map<BlobId, Trees.Tree> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BlobId, Trees.Tree> eldest) {
            return size() > CACHE_TREES;
        }
    };

    /**
     * @param maxEntries the entries the version declares (its files, directories and others): a walk fails beyond
     */
    public FolderView(BlobSource source, Ids ids, BlobId root, long maxEntries) {
        this.source = source;
        this.ids = ids;
        this.root = root;
        this.maxEntries = Math.min(maxEntries, Limits.MAX_ENTRIES);
    }

    public BlobId root() {
        return root;
    }

    /** Reads, checks and decodes a tree blob. */
    Trees.Tree tree(BlobId id) throws IOException {
        Trees.Tree t = cache.get(id);
        if (t != null) {
            return t;
        }
        byte[] b = source.get(id, BlobTable.TREE);
        BlobId actual = ids.of(b);
        if (!actual.equals(id)) {
            throw new CorruptDataException("tree " + id.shortHex() + " holds the bytes of " + actual.shortHex(), -1,
                    -1);
        }
        t = Trees.decode(b, "tree " + id.shortHex());
        if (t.kind() == Trees.PAGES) {
            for (Trees.Page p : t.pages()) {
                if (p.tree().equals(id)) {
                    throw new CorruptDataException("tree " + id.shortHex() + " lists itself as a page", -1, -1);
                }
            }
        }
        cache.put(id, t);
        return t;
    }

    /** The page of a kind-0 tree, checked to be one: pages hold entries, never more pages. */
    private List<Entry> page(Trees.Page p, BlobId parent) throws IOException {
        Trees.Tree t = tree(p.tree());
        if (t.kind() != Trees.ENTRIES) {
            throw new CorruptDataException("tree " + parent.shortHex() + ": page " + p.tree().shortHex()
                    + " is itself paged", -1, -1);
        }
        if (t.entries().isEmpty() || t.entries().get(0).compareName(p.firstName()) != 0) {
            throw new CorruptDataException("tree " + parent.shortHex() + ": page " + p.tree().shortHex()
                    + " does not start with " + Names.display(p.firstName()), -1, -1);
        }
        return t.entries();
    }

    /** The entries of the directory whose tree is {@code id}, in name order (all pages). */
    public List<Entry> entries(BlobId id) throws IOException {
        Trees.Tree t = tree(id);
        if (t.kind() == Trees.ENTRIES) {
            return t.entries();
        }
        List<Entry> all = new ArrayList<>();
        for (Trees.Page p : t.pages()) {
            List<Entry> es = page(p, id);
            if (!all.isEmpty() && all.get(all.size() - 1).compareName(es.get(0)) >= 0) {
                throw new CorruptDataException("tree " + id.shortHex() + ": pages overlap", -1, -1);
            }
            all.addAll(es);
        }
        return all;
    }

    /** The entry named {@code name} in the directory whose tree is {@code dir}, or {@code null}. */
    public Entry child(BlobId dir, byte[] name) throws IOException {
        Trees.Tree t = tree(dir);
        List<Entry> es;
        if (t.kind() == Trees.ENTRIES) {
            es = t.entries();
        } else {
            int lo = 0;
            int hi = t.pages().size() - 1;
            int at = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Arrays.compareUnsigned(t.pages().get(mid).firstName(), name) <= 0) {
                    at = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (at < 0) {
                return null;
            }
            es = page(t.pages().get(at), dir);
        }
        int lo = 0;
        int hi = es.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = es.get(mid).compareName(name);
            if (c == 0) {
                return es.get(mid);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /**
     * The entry at {@code path} ('/'-separated, from the version's root), or {@code null} if there is none.
     *
     * @throws IllegalArgumentException if the path has an empty, '.' or '..' component
     */
    public Entry lookup(byte[] path) throws IOException {
        List<byte[]> parts = Names.split(path);
        if (parts.size() > Limits.MAX_DEPTH) {
            return null;
        }
        BlobId dir = root;
        Entry e = null;
        for (int i = 0; i < parts.size(); i++) {
            e = child(dir, parts.get(i));
            if (e == null) {
                return null;
            }
            if (i < parts.size() - 1) {
                if (e.type() != EntryType.DIRECTORY) {
                    return null;
                }
                dir = e.tree();
            }
        }
        return e;
    }

    /** The names at the top of the version (the paths that were given to compress). */
    public List<Entry> top() throws IOException {
        return entries(root);
    }

    /**
     * Walks every entry in path order (a directory's entries right after it, by name), or only the entries at and
     * below {@code start} when it is not {@code null}.
     */
    public void walk(Visitor v) throws IOException {
        walkFrom(new byte[0], root, v, new long[1]);
    }

    /** Walks the entry at {@code path} and, if it is a directory, everything below it. */
    public void walk(byte[] path, Visitor v) throws IOException {
        Entry e = lookup(path);
        if (e == null) {
            throw new java.nio.file.NoSuchFileException(Names.display(path));
        }
        long[] visited = new long[1];
        count(path, visited);
        v.entry(path, e);
        if (e.type() == EntryType.DIRECTORY) {
            walkFrom(path, e.tree(), v, visited);
            v.leave(path, e);
        }
    }

    /** Counts one more entry of the walk that {@code visited} belongs to (each walk counts from 0). */
    private void count(byte[] path, long[] visited) throws CorruptDataException {
        if (++visited[0] > maxEntries) {
            throw new CorruptDataException("the trees hold more entries than the version declares (" + maxEntries
                    + ") at " + Names.display(path), -1, -1);
        }
    }

    /** An iterative depth-first walk: one frame per level, so depth costs no Java stack. */
    private void walkFrom(byte[] base, BlobId start, Visitor v, long[] visited) throws IOException {
        record Frame(byte[] path, Entry dir, BlobId tree, List<Entry> entries, int next) {
        }
        Deque<Frame> stack = new ArrayDeque<>();
        Set<BlobId> onPath = new HashSet<>();
        List<Entry> first;
        try {
            first = entries(start);
        } catch (CorruptDataException e) {
            v.damaged(base, e);
            return;
        }
        stack.push(new Frame(base, null, start, first, 0));
        onPath.add(start);
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            if (f.next == f.entries.size()) {
                onPath.remove(f.tree);
                if (f.dir != null) {
                    v.leave(f.path, f.dir);
                }
                continue;
            }
            stack.push(new Frame(f.path, f.dir, f.tree, f.entries, f.next + 1));
            Entry e = f.entries.get(f.next);
            byte[] path = Names.join(f.path, e.name());
            count(path, visited);
            v.entry(path, e);
            if (e.type() != EntryType.DIRECTORY) {
                continue;
            }
            if (stack.size() >= Limits.MAX_DEPTH) {
                throw new CorruptDataException("tree deeper than " + Limits.MAX_DEPTH + " at " + Names.display(path),
                        -1, -1);
            }
            if (!onPath.add(e.tree())) {
                throw new CorruptDataException("directory " + Names.display(path) + " contains itself", -1, -1);
            }
            List<Entry> es;
            try {
                es = entries(e.tree());
            } catch (CorruptDataException | dev.mmh.UnsupportedFormatException x) {
                onPath.remove(e.tree());
                v.damaged(path, x);
                v.leave(path, e);
                continue;
            }
            stack.push(new Frame(path, e, e.tree(), es, 0));
        }
    }

    /**
     * A file's chunks in order (resolving a chunk-list blob), checked to add up to its size.
     *
     * @throws IllegalArgumentException if {@code file} is not a file
     */
    public List<ChunkRef> chunks(Entry file) throws IOException {
        if (file.type() != EntryType.FILE) {
            throw new IllegalArgumentException(file.displayName() + " is not a file");
        }
        if (file.chunks() != null) {
            return file.chunks();
        }
        String what = "chunk list " + file.chunkList().shortHex() + " of " + file.displayName();
        Trees.ChunkList l = list(file.chunkList(), what);
        List<ChunkRef> out;
        if (l.kind() == Trees.LIST_CHUNKS) {
            out = l.chunks();
        } else {
            out = new ArrayList<>();
            for (ChunkRef p : l.pages()) {
                Trees.ChunkList page = list(p.id(), what + " page " + p.id().shortHex());
                if (page.kind() != Trees.LIST_CHUNKS || page.length() != p.length()) {
                    throw new CorruptDataException(what + ": page " + p.id().shortHex() + " is not a list of "
                            + p.length() + " bytes", -1, -1);
                }
                out.addAll(page.chunks());
            }
        }
        long sum = 0;
        for (ChunkRef c : out) {
            sum += c.length();
        }
        if (sum != file.size()) {
            throw new CorruptDataException(what + ": chunks add up to " + sum + " bytes, the file has " + file.size(),
                    -1, -1);
        }
        return out;
    }

    private Trees.ChunkList list(BlobId id, String what) throws IOException {
        byte[] b = source.get(id, BlobTable.CHUNK_LIST);
        if (!ids.of(b).equals(id)) {
            throw new CorruptDataException(what + " does not match its ID", -1, -1);
        }
        return Trees.decodeChunkList(b, what);
    }
}
