package dev.mmh.analysis;

/** What the user asked to optimise: {@code --fast}, the default, or {@code --max}. */
public enum Goal {
    FAST, DEFAULT, MAX
}
