package dev.imm.engine;

import java.nio.file.Path;

/**
 * A stack directory and where imm keeps its files beside it: {@code .imm/state.git} (state and history)
 * and {@code .imm/sim} (the simulated cloud). The stack's name, used to tag what it owns in the cloud,
 * is its directory's name.
 */
public record Stack(Path directory) {

    public Path imm() {
        return directory.resolve(".imm");
    }

    public Path stateRepository() {
        return imm().resolve("state.git");
    }

    public Path simulatedCloud() {
        return imm().resolve("sim");
    }

    public String name() {
        Path absolute = directory.toAbsolutePath().normalize();
        return absolute.getFileName() == null ? "stack" : absolute.getFileName().toString();
    }
}
