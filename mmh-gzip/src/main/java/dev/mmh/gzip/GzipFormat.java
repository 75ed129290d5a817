package dev.mmh.gzip;

/**
 * Constants of the gzip format (RFC 1952) and of the block markers mmh writes in the extra field.
 *
 * <p>mmh writes every block as its own gzip member. The member's total size (header to trailer) is recorded in
 * one extra subfield so that a reader can find the next member without inflating, and inflate members on several
 * cores: the BGZF subfield {@code BC} (SAM specification, section 4.1) when the member fits in 64 KiB, and mmh's
 * own subfield {@code MH} (4-byte little-endian member size) for larger blocks. One file uses one of the two.
 */
public final class GzipFormat {
    private GzipFormat() {
    }

    /** First and second magic bytes of every member. */
    public static final int ID1 = 0x1f;
    public static final int ID2 = 0x8b;
    /** Compression method 8: deflate, the only one defined. */
    public static final int CM_DEFLATE = 8;

    /** FLG bits. */
    public static final int FTEXT = 0x01;
    public static final int FHCRC = 0x02;
    public static final int FEXTRA = 0x04;
    public static final int FNAME = 0x08;
    public static final int FCOMMENT = 0x10;
    /** Bits 5-7 are reserved and must be zero (gzip rejects them). */
    public static final int FLG_RESERVED = 0xe0;

    /** OS field mmh writes: 255, unknown, so that output does not depend on the machine (BGZF uses it too). */
    public static final int OS_UNKNOWN = 255;

    /** Fixed part of a member header: ID1 ID2 CM FLG MTIME(4) XFL OS. */
    public static final int FIXED_HEADER = 10;
    /** Member trailer: CRC32 and ISIZE, both little-endian 32-bit. */
    public static final int TRAILER = 8;

    /** BGZF subfield id 'B','C' with a 2-byte payload: total member size minus one. */
    public static final int BC_SI1 = 'B';
    public static final int BC_SI2 = 'C';
    /** Largest member a BC subfield can describe. */
    public static final int BGZF_MAX_MEMBER = 65536;
    /** Largest input block mmh packs into one BGZF member (what htslib uses): worst-case deflate output fits. */
    public static final int BGZF_MAX_BLOCK = 0xff00;
    /** Header size of a member with only the BC subfield. */
    public static final int BGZF_HEADER = FIXED_HEADER + 2 + 6;

    /** mmh's subfield id 'M','H' with a 4-byte payload: total member size. Used when a member exceeds 64 KiB. */
    public static final int MH_SI1 = 'M';
    public static final int MH_SI2 = 'H';
    /** Header size of a member with only the MH subfield. */
    public static final int MH_HEADER = FIXED_HEADER + 2 + 8;

    /** The BGZF end-of-file marker: an empty member with a BC subfield; mmh appends it to BGZF-layout output. */
    static final byte[] BGZF_EOF = {
        0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff, 6, 0, 'B', 'C', 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0,
        0, 0,
    };
}
