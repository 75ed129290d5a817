/**
 * Pieces shared by mmh's own codecs (bwt, numeric) and transforms: the binary adaptive range coder, adaptive bit
 * probabilities, varints and the codec base class. Internal: not a stable API.
 */
package dev.mmh.codec.rc;
