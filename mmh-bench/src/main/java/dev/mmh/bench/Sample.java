package dev.mmh.bench;

/**
 * The figures of one run of one runner over one input (totals over the input's files).
 *
 * @param compressedBytes total size of the compressed files
 * @param compress compression time, CPU and peak RSS (the largest of any file)
 * @param decompress the same for decompression
 */
public record Sample(long compressedBytes, Measure compress, Measure decompress) {
}
