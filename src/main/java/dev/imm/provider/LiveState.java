package dev.imm.provider;

import java.util.List;

/**
 * What the cloud holds for a stack, sorted by address. Its {@link #fingerprint} is stored in saved plans:
 * a plan is applied only to the live state it was made against.
 */
public record LiveState(List<LiveImage> images, List<LiveFleet> fleets, List<LiveBake> bakes) {
    public LiveState {
        images = List.copyOf(images);
        fleets = List.copyOf(fleets);
        bakes = List.copyOf(bakes);
    }

    /** A cloud with no bake under way. */
    public LiveState(List<LiveImage> images, List<LiveFleet> fleets) {
        this(images, fleets, List.of());
    }

    /** SHA-256 over a canonical text of every image and fleet (ids, hashes, sizes, launch, instances). */
    public String fingerprint() {
        StringBuilder text = new StringBuilder();
        for (LiveImage i : images) {
            text.append("image ").append(i.address()).append(' ').append(i.imageId()).append(' ').append(i.bakeHash()).append('\n');
        }
        for (LiveBake b : bakes) {
            text.append("bake ").append(b.image()).append(' ').append(b.id()).append(' ').append(b.bakeHash()).append('\n');
        }
        for (LiveFleet f : fleets) {
            text.append(f.creating() ? "creating " : "").append("fleet ").append(f.address()).append(' ').append(f.fleetId()).append(' ').append(f.launch())
                    .append(' ').append(f.min()).append('/').append(f.desired()).append('/').append(f.max())
                    .append(' ').append(f.targetGroups()).append(' ').append(f.tags()).append(' ').append(f.instances()).append('\n');
        }
        return dev.imm.model.BakeInputs.sha256(text.toString());
    }
}
