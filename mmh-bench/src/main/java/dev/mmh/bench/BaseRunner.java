package dev.mmh.bench;

/** The identity every {@link Runner} carries: how it runs, which program and codec, at which level and threads. */
abstract class BaseRunner implements Runner {
    private final Mode mode;
    private final String tool;
    private final String family;
    private final int level;
    private final int threads;

    BaseRunner(Mode mode, String tool, String family, int level, int threads) {
        this.mode = mode;
        this.tool = tool;
        this.family = family;
        this.level = level;
        this.threads = threads;
    }

    @Override
    public final Mode mode() {
        return mode;
    }

    @Override
    public final String tool() {
        return tool;
    }

    @Override
    public final String family() {
        return family;
    }

    @Override
    public final int level() {
        return level;
    }

    @Override
    public final int threads() {
        return threads;
    }
}
