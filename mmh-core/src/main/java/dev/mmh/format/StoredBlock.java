package dev.mmh.format;

/**
 * A block section as read from an archive, before its payload is checked or decoded.
 *
 * @param header the parsed, CRC-checked header
 * @param offset archive offset of the section
 * @param payload buffer holding the stored bytes at [0, storedSize); owned by the caller's pool
 * @param payloadCrc the CRC32C that follows the stored bytes in the archive
 */
public record StoredBlock(BlockHeader header, long offset, byte[] payload, int payloadCrc) {
    /** Checks the payload against its CRC. */
    public void checkPayload() throws dev.mmh.ChecksumMismatchException {
        int actual = Format.crc(payload, 0, (int) header.storedSize());
        if (actual != payloadCrc) {
            throw new dev.mmh.ChecksumMismatchException("stored data checksum", Format.hex32(payloadCrc),
                    Format.hex32(actual), offset + BlockHeader.size(header.rawHash().length), header.number());
        }
    }
}
