package dev.mmh.codec.bwt;

/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang and Chan 2009): linear time, and
 * working space of the text, the suffix array and one byte per symbol per recursion level.
 */
final class SuffixArray {
    private SuffixArray() {
    }

    /**
     * Sorts the suffixes of {@code t[0, n)}, whose last symbol must be a unique smallest sentinel 0 and whose
     * symbols lie in [0, k). Writes the suffix array to {@code sa[0, n)}.
     */
    static void sais(int[] t, int tOff, int[] sa, int saOff, int n, int k) {
        boolean[] stype = new boolean[n];
        stype[n - 1] = true;
        for (int i = n - 2; i >= 0; i--) {
            int a = t[tOff + i];
            int b = t[tOff + i + 1];
            stype[i] = a < b || (a == b && stype[i + 1]);
        }
        int[] bkt = new int[k];

        // 1. sort LMS substrings: LMS positions at bucket ends, then induce
        java.util.Arrays.fill(sa, saOff, saOff + n, -1);
        bucketEnds(t, tOff, n, bkt);
        for (int i = 1; i < n; i++) {
            if (stype[i] && !stype[i - 1]) {
                sa[saOff + --bkt[t[tOff + i]]] = i;
            }
        }
        induce(t, tOff, sa, saOff, n, bkt, stype);

        // 2. compact the sorted LMS positions into sa[0, n1) and name the substrings
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            int p = sa[saOff + i];
            if (p > 0 && stype[p] && !stype[p - 1]) {
                sa[saOff + n1++] = p;
            }
        }
        java.util.Arrays.fill(sa, saOff + n1, saOff + n, -1);
        int name = 0;
        int prev = -1;
        for (int i = 0; i < n1; i++) {
            int pos = sa[saOff + i];
            boolean diff = false;
            for (int d = 0; ; d++) {
                if (prev == -1 || t[tOff + pos + d] != t[tOff + prev + d] || stype[pos + d] != stype[prev + d]) {
                    diff = true;
                    break;
                }
                if (d > 0 && (isLms(stype, pos + d) || isLms(stype, prev + d))) {
                    break;
                }
            }
            if (diff) {
                name++;
                prev = pos;
            }
            sa[saOff + n1 + (pos >>> 1)] = name - 1;
        }
        for (int i = n - 1, j = n - 1; i >= n1; i--) {
            if (sa[saOff + i] >= 0) {
                sa[saOff + j--] = sa[saOff + i];
            }
        }

        // 3. sort the reduced string: recursively if names repeat, directly otherwise
        int s1 = saOff + n - n1;
        if (name < n1) {
            sais(sa, s1, sa, saOff, n1, name);
        } else {
            for (int i = 0; i < n1; i++) {
                sa[saOff + sa[s1 + i]] = i;
            }
        }

        // 4. induce the full order from the sorted LMS suffixes
        for (int i = 1, j = 0; i < n; i++) {
            if (stype[i] && !stype[i - 1]) {
                sa[s1 + j++] = i;
            }
        }
        for (int i = 0; i < n1; i++) {
            sa[saOff + i] = sa[s1 + sa[saOff + i]];
        }
        java.util.Arrays.fill(sa, saOff + n1, saOff + n, -1);
        bucketEnds(t, tOff, n, bkt);
        for (int i = n1 - 1; i >= 0; i--) {
            int p = sa[saOff + i];
            sa[saOff + i] = -1;
            sa[saOff + --bkt[t[tOff + p]]] = p;
        }
        induce(t, tOff, sa, saOff, n, bkt, stype);
    }

    private static boolean isLms(boolean[] stype, int i) {
        return i > 0 && stype[i] && !stype[i - 1];
    }

    private static void bucketEnds(int[] t, int tOff, int n, int[] bkt) {
        buckets(t, tOff, n, bkt, true);
    }

    private static void bucketStarts(int[] t, int tOff, int n, int[] bkt) {
        buckets(t, tOff, n, bkt, false);
    }

    /** Start (or end, exclusive) of each symbol's bucket in the suffix array. */
    private static void buckets(int[] t, int tOff, int n, int[] bkt, boolean ends) {
        java.util.Arrays.fill(bkt, 0);
        for (int i = 0; i < n; i++) {
            bkt[t[tOff + i]]++;
        }
        int sum = 0;
        for (int c = 0; c < bkt.length; c++) {
            int v = bkt[c];
            sum += v;
            bkt[c] = ends ? sum : sum - v;
        }
    }

    private static void induce(int[] t, int tOff, int[] sa, int saOff, int n, int[] bkt, boolean[] stype) {
        bucketStarts(t, tOff, n, bkt);
        for (int i = 0; i < n; i++) {
            int j = sa[saOff + i] - 1;
            if (j >= 0 && !stype[j]) {
                sa[saOff + bkt[t[tOff + j]]++] = j;
            }
        }
        bucketEnds(t, tOff, n, bkt);
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[saOff + i] - 1;
            if (j >= 0 && stype[j]) {
                sa[saOff + --bkt[t[tOff + j]]] = j;
            }
        }
    }
}
