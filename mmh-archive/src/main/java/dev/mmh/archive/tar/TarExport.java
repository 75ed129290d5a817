package dev.mmh.archive.tar;

import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.read.FolderView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a version of a folder (or some of its paths) as a pax tar stream, in path order: directories, files (sparse
 * ones in GNU sparse format 1.0, their holes unwritten), links (a hard link to the first name of its file) and
 * special files, with their modes, times, owners and extended attributes as stored. Not thread-safe.
 */
public final class TarExport {
    /** Reads a file's bytes by path. */
    public interface Contents {
        InputStream read(int version, byte[] path) throws IOException;
    }

    private final FolderView view;
    private final Contents contents;
    private final int version;

    public TarExport(FolderView view, Contents contents, int version) {
        this.view = view;
        this.contents = contents;
        this.version = version;
    }

    /** Writes {@code paths} (all of the version when empty) and everything below them, then the tar's end. */
    public void write(List<byte[]> paths, OutputStream out) throws IOException {
        TarWriter w = new TarWriter(out);
        FolderView.Visitor v = new FolderView.Visitor() {
            @Override
            public void entry(byte[] path, Entry e) throws IOException {
                switch (e.type()) {
                    case DIRECTORY -> w.directory(path, e);
                    case SYMLINK -> w.symlink(path, e);
                    case HARDLINK -> w.hardlink(path, e, e.target());
                    case FILE -> file(w, path, e);
                    default -> w.special(path, e);
                }
            }
        };
        if (paths.isEmpty()) {
            view.walk(v);
        } else {
            for (byte[] p : paths) {
                view.walk(p, v);
            }
        }
        w.finish();
    }

    private void file(TarWriter w, byte[] path, Entry e) throws IOException {
        List<ChunkRef> chunks = view.chunks(e);
        boolean holes = chunks.stream().anyMatch(ChunkRef::isHole);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = contents.read(version, path)) {
            if (!holes) {
                w.file(path, e, e.size());
                copy(in, w, e.size(), buf);
            } else {
                List<Long> regions = new ArrayList<>();
                long at = 0;
                for (ChunkRef c : chunks) {
                    if (!c.isHole()) {
                        int last = regions.size() - 2;
                        if (last >= 0 && regions.get(last) + regions.get(last + 1) == at) {
                            regions.set(last + 1, regions.get(last + 1) + c.length());
                        } else {
                            regions.add(at);
                            regions.add(c.length());
                        }
                    }
                    at += c.length();
                }
                long[] r = regions.stream().mapToLong(Long::longValue).toArray();
                w.sparseFile(path, e, e.size(), r);
                long pos = 0;
                for (int i = 0; i < r.length; i += 2) {
                    in.skipNBytes(r[i] - pos); // the hole's zeros, read and dropped
                    copy(in, w, r[i + 1], buf);
                    pos = r[i] + r[i + 1];
                }
            }
        }
        w.endFile();
    }

    private static void copy(InputStream in, TarWriter w, long n, byte[] buf) throws IOException {
        for (long left = n; left > 0; ) {
            int k = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
            if (k == 0) {
                throw new dev.mmh.CorruptDataException("a file's content ended early", -1, -1);
            }
            w.write(buf, 0, k);
            left -= k;
        }
    }
}
