package dev.imm.model;

/**
 * What an image must satisfy before a fleet may run it (docs/containers.md): no older than
 * {@code maxAgeMillis} since it was baked (0: any age), signed with the key whose public half is
 * {@code publicKey} (PEM; containers only), and passing {@code scan}, a command run with {@code {ref}}
 * replaced by the image's reference (containers only). A failed check stops the plan, or the apply before
 * any fleet rolls to the image.
 */
public record ImagePolicy(long maxAgeMillis, boolean requireSignature, String publicKey, String scan) {
    public static final ImagePolicy NONE = new ImagePolicy(0, false, null, null);

    public boolean isEmpty() {
        return maxAgeMillis == 0 && !requireSignature && scan == null;
    }
}
