package org.moodlesync.moodle;

/** Moodle's context levels (CONTEXT_SYSTEM, CONTEXT_USER, ...). */
public enum ContextLevel {
    SYSTEM(10), USER(30), COURSECAT(40), COURSE(50), MODULE(70), BLOCK(80);

    public final int level;

    ContextLevel(int level) {
        this.level = level;
    }
}
