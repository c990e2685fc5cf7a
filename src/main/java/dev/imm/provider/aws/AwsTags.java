package dev.imm.provider.aws;

/**
 * The tags imm puts on what it creates in AWS, and reads back to find it: every resource carries
 * {@code imm:stack}; images {@code imm:image}, {@code imm:bake-hash} and {@code imm:source}; groups and
 * launch templates {@code imm:fleet}. Builders carry {@code imm:role = builder}; a group with an
 * instance refresh that imm started carries {@code imm:rolling} until imm sees the refresh end; the new
 * group of a blue/green rollout carries {@code imm:green-of} (the group it replaces) until the old one is
 * gone; a target group imm made as the blue/green partner of a declared one carries {@code imm:partner-of},
 * and a group registered in it {@code imm:serves} (the declared target group, which plans compare with).
 */
final class AwsTags {
    static final String STACK = "imm:stack";
    static final String IMAGE = "imm:image";
    static final String FLEET = "imm:fleet";
    static final String BAKE_HASH = "imm:bake-hash";
    static final String SOURCE = "imm:source";
    static final String ROLE = "imm:role";
    static final String BUILDER = "builder";
    static final String ROLLING = "imm:rolling";
    static final String GREEN_OF = "imm:green-of";
    static final String PARTNER_OF = "imm:partner-of";
    /** On a group registered in the partner target group: the declared target group it stands in for. */
    static final String SERVES = "imm:serves";
    /** On the new group of a blue/green rollout: its policy's verify and drain, so a resumed rollout keeps them. */
    static final String TIMINGS = "imm:verify-drain";
    /** imm's tags that describe the group itself, not its instances. */
    static final java.util.Set<String> GROUP_ONLY = java.util.Set.of(ROLLING, GREEN_OF, SERVES, TIMINGS);

    private AwsTags() {
    }
}
