package dev.imm.model;

import dev.imm.diag.SourceRange;
import java.util.List;

/** A reusable, ordered set of provisioning steps that images list in {@code components}. */
public record ComponentSpec(Address address, String description, List<ProvisionStep> steps, SourceRange range) {
    public ComponentSpec {
        steps = List.copyOf(steps);
    }
}
