package dev.mmh.bench;

/**
 * Told of each step of a bench (one run of one runner on one input) as it starts; the command draws its progress
 * bar from it. Called from the thread that runs the bench.
 */
public interface BenchProgress extends AutoCloseable {
    /** A step starts; {@code what} names it ({@code "gzip -6 T1 silesia"}). */
    void step(String what);

    /** The bench is over. */
    @Override
    void close();

    /** Nothing shown. */
    BenchProgress NONE = new BenchProgress() {
        @Override
        public void step(String what) {
        }

        @Override
        public void close() {
        }
    };
}
