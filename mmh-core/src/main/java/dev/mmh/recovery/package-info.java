/**
 * Recovery data: find damage in a byte range and rebuild it bit-exactly (format in docs/RECOVERY-FORMAT.md).
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * // protect the first n bytes of an archive, section right after them
 * RecoveryData rd = RecoveryEncoder.encode(ch, n, RecoveryOptions.of(0.05), ch, n);
 *
 * // later: find the section (footer pointer, or -1 to scan from the end), check, repair into a new file
 * RecoveryData found = RecoveryData.read(ch, pointerOrMinusOne);
 * DamageReport report = Repairer.scan(ch, ch, found, threads);
 * if (report.repairable()) Repairer.repair(ch, ch, found, report, tmpOut, threads);
 *
 * // any other file: a FILE.mmhr sidecar
 * Sidecar.protect(file, Sidecar.pathFor(file), RecoveryOptions.of(0.05));
 * Sidecar.repair(file, Sidecar.pathFor(file), file, threads);
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <p>The range is cut into shards (64 B .. 1 MiB, up to about 32768 of them), each with a CRC32C, so damage is located
 * to a shard. Shards form Reed-Solomon code words over GF(2^8) (usually 100 data + 5 parity at 5%), and
 * consecutive shards go to consecutive code words, so a burst spreads thinly over all of them.
 *
 * <p>The code is defined by m parity checks with roots alpha^-m/2 .. alpha^(m-1-m/2), not by a generator matrix:
 * encoding is Horner's rule over the data rows, which needs only multiplication by alpha^+-1 and alpha^+-2 — a
 * few shifts and masks on eight bytes in a {@code long}, which the JIT vectorises — plus one small m x m step
 * per code word. Measured on one core of the development machine, that runs the parity of 5% at several GB/s,
 * against about 0.6 GB/s for the classic log/exp table multiply-accumulate and about 1.2 GB/s for a Cauchy
 * bit-matrix XOR code in Java. An FFT code (Leopard) pays off for hundreds of parity shards, not for 5 or 10.
 *
 * <p>All readers treat the section as untrusted: two checksummed copies of its header and tables, every field
 * checked against limits before anything is allocated, failures only through the {@link dev.mmh.MmhException}
 * family, and a 64-bit digest over the whole range checked after every repair, so damage is either repaired
 * bit-exactly or reported, never turned into wrong bytes.
 */
package dev.mmh.recovery;
