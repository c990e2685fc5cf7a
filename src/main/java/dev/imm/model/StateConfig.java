package dev.imm.model;

/** The {@code state} block: an optional Git remote and branch for the state repository. */
public record StateConfig(String remote, String branch) {
    public static final StateConfig LOCAL = new StateConfig(null, "main");
}
