package dev.imm.state;

import dev.imm.model.Address;
import java.util.List;

/**
 * An image of the stack and every version of it that still exists, oldest first; the last is current.
 * Older versions are kept for rollback until retired (past the image's {@code keep}).
 */
public record ImageRecord(Address address, List<ImageVersion> versions) {
    public ImageRecord {
        versions = List.copyOf(versions);
    }

    public ImageVersion current() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }
}
