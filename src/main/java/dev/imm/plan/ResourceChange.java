package dev.imm.plan;

import dev.imm.model.Address;
import java.util.List;

/**
 * The planned change of one resource: its action, why, the attributes that change, and for a roll its
 * estimate (null otherwise). {@code drift} marks changes that restore what the cloud lost or changed
 * outside imm.
 */
public record ResourceChange(Address address, Action action, List<Reason> reasons, List<AttributeChange> attributes,
                             RollEstimate estimate, boolean drift) {
    public ResourceChange {
        reasons = List.copyOf(reasons);
        attributes = List.copyOf(attributes);
    }

    /**
     * From the address and the action only: plans of thousands of changes key maps by them, and hashing
     * every reason and attribute each time was a tenth of an apply. Equal changes have equal hashes still.
     */
    @Override
    public int hashCode() {
        return address.hashCode() * 31 + action.ordinal();
    }
}
