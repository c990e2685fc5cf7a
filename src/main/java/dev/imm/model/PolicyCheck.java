package dev.imm.model;


/**
 * The verdict of one policy check on one image version (docs/containers.md): {@code check} is
 * {@code signature}, {@code scan}, {@code age} or {@code pinned}; {@code detail} says what was found, in
 * words for a plan. A check of an image the apply has yet to bake is {@code PENDING}: the apply runs it
 * before any fleet rolls to the image. {@code FLAGGED} lets the plan through but says what to look at (a
 * base that follows a tag).
 */
public record PolicyCheck(Address image, String imageId, String check, Verdict verdict, String detail) {
    public enum Verdict {
        PASSED, FAILED, PENDING, FLAGGED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean failed() {
        return verdict == Verdict.FAILED;
    }
}
