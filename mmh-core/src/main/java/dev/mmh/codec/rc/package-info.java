/**
 * Binary adaptive range coder shared by mmh's own codecs (bwt, numeric). Internal: not a stable API.
 */
package dev.mmh.codec.rc;
