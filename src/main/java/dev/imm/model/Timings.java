package dev.imm.model;

import java.util.List;

/**
 * How long the cloud's steps typically take: what the plan estimates an apply with, and what the
 * simulated cloud runs in virtual time, so that a rehearsal and an estimate can be compared. A bake is
 * the builder's boot, then per step 20 s per inline shell line, 60 s per shell script and 5 s per
 * uploaded file, then the image's creation; a new instance boots in 60 s, then passes its health check
 * grace period (at creation) or its policy's warm-up (in a roll); deleting a group takes 30 s.
 */
public final class Timings {
    public static final long BUILDER_BOOT_MILLIS = 180_000;
    public static final long INLINE_LINE_MILLIS = 20_000;
    public static final long SCRIPT_MILLIS = 60_000;
    public static final long FILE_UPLOAD_MILLIS = 5_000;
    public static final long IMAGE_CREATION_MILLIS = 240_000;
    public static final long INSTANCE_BOOT_MILLIS = 60_000;
    public static final long INSTANCE_TERMINATION_MILLIS = 30_000;

    private Timings() {
    }

    /** How long one provisioning step runs on the builder. */
    public static long step(ProvisionStep step) {
        if (step instanceof ProvisionStep.Shell shell) {
            long millis = 0;
            if (shell.inline() != null) {
                millis += INLINE_LINE_MILLIS * shell.inline().size();
            }
            if (shell.scriptPath() != null) {
                millis += SCRIPT_MILLIS;
            }
            return millis;
        }
        return FILE_UPLOAD_MILLIS;
    }

    /** How long a bake of these steps takes, from launching the builder to the image being available. */
    /**
     * How long a container image's build and push typically takes: its layers are only files (no builder
     * instance boots), so seconds, most of it the registry's.
     */
    public static final long CONTAINER_BAKE_MILLIS = 30_000;

    public static long bake(List<ProvisionStep> steps) {
        long millis = BUILDER_BOOT_MILLIS + IMAGE_CREATION_MILLIS;
        for (ProvisionStep step : steps) {
            millis += step(step);
        }
        return millis;
    }

    /** How long a new group takes until its instances are healthy. */
    public static long create(FleetSpec.HealthCheck health) {
        return INSTANCE_BOOT_MILLIS + (health == null ? FleetSpec.HealthCheck.DEFAULT : health).graceMillis();
    }
}
