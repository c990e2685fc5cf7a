package dev.imm.plan;

import java.util.Locale;

/** What a plan does to one resource. */
public enum Action {
    /** Bake a new image version. */
    BAKE,
    CREATE,
    /** Change a fleet in place (sizes, tags, target groups): no instance is replaced. */
    UPDATE,
    /** Replace a fleet's instances with ones of a new launch configuration, under its rollout policy. */
    ROLL,
    /** Recreate a fleet's group itself (its cloud object is gone or cannot be changed). */
    REPLACE,
    DESTROY,
    /** Deregister an image version past the image's keep that nothing uses. */
    RETIRE,
    NO_OP;

    /** As plans spell it: {@code bake}, {@code no-op}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
