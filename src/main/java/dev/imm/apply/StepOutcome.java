package dev.imm.apply;

/**
 * How one step of an apply ended. {@code detail} says what was done ("ami-…", "rolled back: …") or why
 * it failed; {@code virtualMillis} is how long it took in the cloud's time.
 */
public record StepOutcome(Status status, String detail, long virtualMillis) {

    public enum Status {
        DONE, FAILED, ROLLED_BACK, PAUSED, SKIPPED, CANCELLED;

        public boolean ok() {
            return this == DONE;
        }
    }
}
