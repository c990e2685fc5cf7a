package dev.imm.state;

import dev.imm.model.Address;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state a stack's history records at one revision: {@code serial} counts persisted steps,
 * {@code lineage} identifies the state across its whole history (a new one for a new stack), outputs are
 * rendered values (sensitive ones as "(sensitive)"), and every image and fleet by address.
 */
public record RecordedState(long serial, String lineage, SortedMap<String, String> outputs,
                            SortedMap<Address, ImageRecord> images, SortedMap<Address, FleetRecord> fleets) {
    public RecordedState {
        outputs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(outputs));
        images = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(images));
        fleets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fleets));
    }

    public static RecordedState empty(String lineage) {
        return new RecordedState(0, lineage, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }
}
