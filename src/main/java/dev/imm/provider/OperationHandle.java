package dev.imm.provider;

/**
 * Names a long operation (a bake, a roll, a fleet's creation) so it can be found again after imm was
 * stopped: it is written to the journal before the operation starts.
 */
public record OperationHandle(String kind, String id) {
}
