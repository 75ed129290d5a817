package dev.mmh.bench;

import java.util.Arrays;

/**
 * Summary of repeated measurements: median, minimum, maximum and the quartiles (linear interpolation between
 * order statistics, the method R and NumPy use by default). Immutable.
 *
 * @param n number of values
 */
public record Stats(int n, double median, double min, double max, double q1, double q3) {
    /** Summary of {@code values} (not modified); an empty array gives all-NaN with {@code n = 0}. */
    public static Stats of(double... values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new Stats(v.length, quantile(v, 0.5), v[0], v[v.length - 1], quantile(v, 0.25), quantile(v, 0.75));
    }

    /** The q-quantile (0..1) of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Interquartile range, q3 - q1. */
    public double iqr() {
        return q3 - q1;
    }

    /** Relative spread (max - min) / median, 0 when the median is 0. */
    public double relativeSpread() {
        return median == 0 ? 0 : (max - min) / median;
    }
}
