package dev.mmh.hadoop;

import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test archives made by the engine, and the texts they hold. */
final class Archives {
    private Archives() {
    }

    /** Compresses {@code data} into {@code file} with {@code codec} and blocks of {@code blockSize} raw bytes. */
    static void write(Path file, byte[] data, String codec, int blockSize) throws IOException {
        CompressOptions o = CompressOptions.builder().codec(codec).blockSize(blockSize).threads(2).build();
        try (OutputStream out = Files.newOutputStream(file)) {
            Mmh.compress(new ByteArrayInputStream(data), out, o);
        }
    }

    /** What the engine decodes from {@code archive}. */
    static byte[] decode(byte[] archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, DecompressOptions.builder().threads(2).build());
        return out.toByteArray();
    }

    /** Where the block sections of a full-layout archive start, from its index. */
    static List<Long> blockOffsets(Path file) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (SeekableArchive a = SeekableArchive.open(file)) {
            for (IndexEntry e : a.index().entries()) {
                offsets.add(e.offset());
            }
        }
        return offsets;
    }

    /**
     * About {@code size} bytes of lines of random lengths, some empty, some longer than several blocks of
     * {@code blockSize}, with LF, CR and CR LF endings, and at each of the first block boundaries (multiples of
     * {@code blockSize}) one of: CR LF split by the boundary, a CR ending the block before a letter, an LF as a
     * block's last byte, an LF as a block's first byte, a line going straight through.
     */
    static byte[] text(int size, int blockSize, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder(size + 4096);
        int n = 0;
        while (s.length() < size) {
            int kind = r.nextInt(40);
            int len = kind == 0 ? 0 : kind == 1 ? blockSize * (1 + r.nextInt(3)) + r.nextInt(blockSize) : r.nextInt(90);
            s.append("line ").append(n++).append(' ');
            for (int i = 0; i < len; i++) {
                s.append((char) ('a' + r.nextInt(26)));
            }
            int end = r.nextInt(10);
            s.append(end == 0 ? "\r\n" : end == 1 ? "\r" : "\n");
        }
        byte[] b = s.toString().getBytes(StandardCharsets.US_ASCII);
        String[][] patterns = {{"\r", "\n"}, {"\r", "x"}, {"\n", "y"}, {"z", "\n"}, {"q", "r"}};
        for (int k = 1; (long) k * blockSize + 1 < b.length && k <= 4 * patterns.length; k++) {
            String[] p = patterns[k % patterns.length];
            b[k * blockSize - 1] = (byte) p[0].charAt(0);
            b[k * blockSize] = (byte) p[1].charAt(0);
        }
        return b;
    }
}
