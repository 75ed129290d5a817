package dev.mmh.analysis;

/**
 * One tensor's bytes in a weights file.
 *
 * @param name tensor name
 * @param dtype element type as stored: {@code float32}, {@code float16}, {@code bfloat16}, {@code float64},
 *     {@code int8} .. {@code int64}, {@code uint8}, {@code bool}, or the format's own name for others (GGUF
 *     quantised types are {@code ggml<type>})
 * @param offset byte offset of the first element from the start of the file (shard)
 * @param length length in bytes
 */
public record TensorInfo(String name, String dtype, long offset, long length) {
    /** Bytes per element for the plain types, 0 for the others. */
    public int elementSize() {
        return switch (dtype) {
            case "float64", "int64", "uint64" -> 8;
            case "float32", "int32", "uint32" -> 4;
            case "float16", "bfloat16", "int16", "uint16" -> 2;
            case "int8", "uint8", "bool" -> 1;
            default -> 0;
        };
    }
}
