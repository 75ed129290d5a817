package dev.mmh.analysis;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.json.Json;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads where the tensors are, and their element types, from the headers of weights files: safetensors (an
 * 8-byte little-endian header size, then a JSON header), GGUF (version 2 and 3) and TensorFlow.js shards (the
 * {@code weightsManifest} of a {@code model.json}). The engine can then cut blocks at tensor boundaries and pick
 * the byte-plane layout from the declared type instead of guessing it.
 *
 * <p>Stateless and thread-safe. Headers are read with limits that also bound the memory the result takes: at
 * most {@link #headerLimit()} bytes of JSON or of GGUF tensor names (64 MiB, less with a heap under 2 GiB), 1 MiB
 * per GGUF string, 2^18 tensors, 2^24 GGUF keys; damaged headers fail with {@link CorruptDataException}, a file of
 * another kind with {@link NotMmhFormatException} (meaning "not this format"), oversized ones with
 * {@link LimitExceededException}, before anything is allocated for them.
 */
public final class TensorHeaders {
    private static final long MAX_JSON = 64L << 20;
    private static final long MAX_STRING = 1 << 20;
    /** Tensors of one file: the largest models hold some 10^5 (per shard far fewer); each costs ~200 B of heap. */
    private static final long MAX_TENSORS = 1 << 18;
    private static final long MAX_KEYS = 1 << 24;

    /**
     * Largest JSON header, and most bytes of GGUF tensor names, read: 64 MiB, or a 32nd of the heap if that is
     * less, since the parsed header takes several times its size.
     */
    static long headerLimit() {
        return Math.min(MAX_JSON, Runtime.getRuntime().maxMemory() / 32);
    }

    private TensorHeaders() {
    }

    /** The tensors of a safetensors or GGUF file, told apart by their first bytes. */
    public static List<TensorInfo> read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        }
        if (head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
            return gguf(file);
        }
        if (head.length == 9 && head[8] == '{') {
            return safetensors(file);
        }
        throw new NotMmhFormatException(file + " is neither a safetensors nor a GGUF file");
    }

    /** The tensors of a safetensors file; offsets count from the start of the file. */
    public static List<TensorInfo> safetensors(Path file) throws IOException {
        long size = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long n = Long.reverseBytes(in.readLong());
            if (n < 2 || n > size - 8) {
                throw new CorruptDataException("safetensors header size " + n + " does not fit the file", 0, -1);
            }
            if (n > headerLimit()) {
                throw new LimitExceededException("safetensors header", n, headerLimit());
            }
            byte[] json = in.readNBytes((int) n);
            long base = 8 + n;
            if (!(Json.parse(new String(json, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
                throw new CorruptDataException("safetensors header is not a JSON object", 8, -1);
            }
            List<TensorInfo> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("__metadata__".equals(e.getKey())) {
                    continue;
                }
                if (!(e.getValue() instanceof Map<?, ?> t) || !(t.get("dtype") instanceof String dt)
                        || !(t.get("data_offsets") instanceof List<?> off) || off.size() != 2
                        || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)
                        || begin < 0 || end < begin || end > size - base) {
                    throw new CorruptDataException("safetensors entry '" + e.getKey() + "' is malformed", 8, -1);
                }
                out.add(new TensorInfo((String) e.getKey(), safetensorsType(dt), base + begin, end - begin));
            }
            out.sort(Comparator.comparingLong(TensorInfo::offset));
            return out;
        }
    }

    private static String safetensorsType(String t) {
        return switch (t) {
            case "F64" -> "float64";
            case "F32" -> "float32";
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            case "I64" -> "int64";
            case "I32" -> "int32";
            case "I16" -> "int16";
            case "I8" -> "int8";
            case "U64" -> "uint64";
            case "U32" -> "uint32";
            case "U16" -> "uint16";
            case "U8" -> "uint8";
            case "BOOL" -> "bool";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    /** The tensors of a GGUF (v2, v3) file; offsets count from the start of the file. */
    public static List<TensorInfo> gguf(Path file) throws IOException {
        long size = Files.size(file);
        try (Le in = new Le(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.u32() != 0x46554747) {
                throw new NotMmhFormatException(file + " is not a GGUF file");
            }
            long version = in.u32();
            if (version != 2 && version != 3) {
                throw new CorruptDataException("GGUF version " + version + " is not 2 or 3", 4, -1);
            }
            long tensors = in.u64();
            long kvs = in.u64();
            if (tensors < 0 || tensors > MAX_TENSORS) {
                throw new LimitExceededException("GGUF header", tensors, MAX_TENSORS, "tensors");
            }
            if (kvs < 0 || kvs > MAX_KEYS) {
                throw new LimitExceededException("GGUF header", kvs, MAX_KEYS, "keys");
            }
            long alignment = 32;
            for (long k = 0; k < kvs; k++) {
                String key = in.string();
                int type = (int) in.u32();
                Object v = in.value(type);
                if (key.equals("general.alignment") && v instanceof Long a) {
                    alignment = a;
                }
            }
            if (alignment < 1 || alignment > (1 << 20)) {
                throw new CorruptDataException("GGUF alignment " + alignment, -1, -1);
            }
            List<TensorInfo> out = new ArrayList<>();
            List<Long> elements = new ArrayList<>();
            long names = 0;
            for (long t = 0; t < tensors; t++) {
                long before = in.pos;
                String name = in.string();
                names += in.pos - before - 8;
                if (names > headerLimit()) {
                    throw new LimitExceededException("GGUF tensor names", names, headerLimit());
                }
                long dims = in.u32();
                if (dims > 8) {
                    throw new CorruptDataException("GGUF tensor '" + name + "' has " + dims + " dimensions", -1, -1);
                }
                long count = 1;
                for (int d = 0; d < dims; d++) {
                    long dim = in.u64();
                    if (dim < 0 || (dim > 0 && count > Long.MAX_VALUE / dim)) {
                        throw new CorruptDataException("GGUF tensor '" + name + "' is too large", -1, -1);
                    }
                    count *= dim;
                }
                int type = (int) in.u32();
                long offset = in.u64();
                out.add(new TensorInfo(name, ggmlType(type), offset, 0));
                elements.add(count);
            }
            long data = (in.pos + alignment - 1) / alignment * alignment;
            List<TensorInfo> placed = new ArrayList<>();
            for (int t = 0; t < out.size(); t++) {
                TensorInfo ti = out.get(t);
                if (ti.offset() < 0 || ti.offset() > size - data) {
                    throw new CorruptDataException("GGUF tensor '" + ti.name() + "' lies outside the file", -1, -1);
                }
                placed.add(new TensorInfo(ti.name(), ti.dtype(), data + ti.offset(), elements.get(t)));
            }
            placed.sort(Comparator.comparingLong(TensorInfo::offset));
            // plain types: elements x size; quantised ones: up to the next tensor (or the end of the file)
            List<TensorInfo> result = new ArrayList<>();
            for (int t = 0; t < placed.size(); t++) {
                TensorInfo ti = placed.get(t);
                long limit = t + 1 < placed.size() ? placed.get(t + 1).offset() : size;
                long len = ti.elementSize() > 0 ? ti.length() * ti.elementSize() : limit - ti.offset();
                if (len < 0 || len > size - ti.offset()) {
                    throw new CorruptDataException("GGUF tensor '" + ti.name() + "' runs past the file", -1, -1);
                }
                result.add(new TensorInfo(ti.name(), ti.dtype(), ti.offset(), len));
            }
            return result;
        }
    }

    private static String ggmlType(int t) {
        return switch (t) {
            case 0 -> "float32";
            case 1 -> "float16";
            case 24 -> "int8";
            case 25 -> "int16";
            case 26 -> "int32";
            case 27 -> "int64";
            case 28 -> "float64";
            case 30 -> "bfloat16";
            default -> "ggml" + t;
        };
    }

    /**
     * The tensors of each shard of a TensorFlow.js model, from its {@code model.json} (or a bare weights
     * manifest array): shard file name to its tensors, offsets counting from the start of that shard. Tensors
     * quantised to {@code uint8}, {@code uint16} or {@code float16} are reported with the stored type.
     */
    public static Map<String, List<TensorInfo>> tfjs(Path manifest) throws IOException {
        long size = Files.size(manifest);
        if (size > headerLimit()) {
            throw new LimitExceededException("model.json", size, headerLimit());
        }
        Object root = Json.parse(Files.readString(manifest, StandardCharsets.UTF_8));
        Object groups = root instanceof Map<?, ?> m ? m.get("weightsManifest") : root;
        if (!(groups instanceof List<?> gl)) {
            throw new CorruptDataException("no weightsManifest in " + manifest, -1, -1);
        }
        Map<String, List<TensorInfo>> out = new LinkedHashMap<>();
        for (Object g : gl) {
            if (!(g instanceof Map<?, ?> group) || !(group.get("paths") instanceof List<?> paths)
                    || !(group.get("weights") instanceof List<?> weights) || paths.isEmpty()) {
                throw new CorruptDataException("malformed weights group in " + manifest, -1, -1);
            }
            // a group's tensors are laid end to end over its shards, in order; shard sizes are not in the manifest,
            // so the offsets are those in the concatenation, reported against the group's first shard
            List<TensorInfo> list = new ArrayList<>();
            long offset = 0;
            for (Object w : weights) {
                if (!(w instanceof Map<?, ?> t) || !(t.get("name") instanceof String name)
                        || !(t.get("dtype") instanceof String dtype) || !(t.get("shape") instanceof List<?> shape)) {
                    throw new CorruptDataException("malformed weight entry in " + manifest, -1, -1);
                }
                long count = 1;
                for (Object d : shape) {
                    if (!(d instanceof Long dim) || dim < 0 || (dim > 0 && count > (1L << 40) / dim)) {
                        throw new CorruptDataException("bad shape of '" + name + "' in " + manifest, -1, -1);
                    }
                    count *= dim;
                }
                String stored = dtype;
                if (t.get("quantization") instanceof Map<?, ?> q && q.get("dtype") instanceof String qd) {
                    stored = qd;
                }
                TensorInfo ti = new TensorInfo(name, stored, offset, 0);
                int es = "string".equals(stored) ? 0 : ti.elementSize();
                if (es == 0) {
                    throw new CorruptDataException("unsupported tfjs dtype '" + stored + "' of '" + name + "'", -1, -1);
                }
                list.add(new TensorInfo(name, stored, offset, count * es));
                offset += count * es;
            }
            out.put(String.valueOf(paths.get(0)), list);
        }
        return out;
    }

    /** Little-endian reader for GGUF with a position and bounded strings and arrays. */
    private static final class Le implements AutoCloseable {
        private final InputStream in;
        long pos;

        Le(InputStream in) {
            this.in = in;
        }

        private int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new CorruptDataException("GGUF header is truncated", pos, -1, new EOFException());
            }
            pos++;
            return b;
        }

        private long le(int bytes) throws IOException {
            long v = 0;
            for (int k = 0; k < bytes; k++) {
                v |= (long) u8() << (8 * k);
            }
            return v;
        }

        long u32() throws IOException {
            return le(4);
        }

        long u64() throws IOException {
            return le(8);
        }

        String string() throws IOException {
            long n = u64();
            if (n < 0 || n > MAX_STRING) {
                throw new LimitExceededException("GGUF string", n, MAX_STRING);
            }
            byte[] b = in.readNBytes((int) n);
            if (b.length != n) {
                throw new CorruptDataException("GGUF header is truncated", pos, -1);
            }
            pos += n;
            return new String(b, StandardCharsets.UTF_8);
        }

        /** Reads a metadata value; integers come back as Long, other values are skipped (null). */
        Object value(int type) throws IOException {
            switch (type) {
                case 0, 1, 7 -> {
                    return le(1);
                }
                case 2, 3 -> {
                    return le(2);
                }
                case 4, 5 -> {
                    return le(4);
                }
                case 6 -> {
                    le(4);
                    return null;
                }
                case 10, 11 -> {
                    return le(8);
                }
                case 12 -> {
                    le(8);
                    return null;
                }
                case 8 -> {
                    return string();
                }
                case 9 -> {
                    int inner = (int) u32();
                    long count = u64();
                    if (count < 0 || count > MAX_KEYS * 16) {
                        throw new LimitExceededException("GGUF array", count, MAX_KEYS * 16, "values");
                    }
                    if (inner == 9) {
                        throw new CorruptDataException("GGUF nested arrays are not supported", pos, -1);
                    }
                    for (long k = 0; k < count; k++) {
                        value(inner);
                    }
                    return null;
                }
                default -> throw new CorruptDataException("GGUF value type " + type + " is unknown", pos, -1);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
