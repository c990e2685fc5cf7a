package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import dev.imm.state.FleetRecord;
import dev.imm.state.RecordedState;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of {@code imm rollback REV}: every fleet that still exists goes back to the image it ran at
 * REV, under its rollout policy. Nothing is baked (images are immutable and kept); an image retired
 * since REV stops the rollback. Sizes and tags stay as they are now.
 */
public final class Rollback {
    private Rollback() {
    }

    public static Plan plan(String stack, String revisionNow, String targetRevision, DesiredState desired,
                            RecordedState target, LiveState live) {
        List<ResourceChange> changes = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        for (LiveFleet fleet : live.fleets()) {
            FleetRecord then = target.fleets().get(fleet.address());
            FleetSpec spec = desired.fleets().get(fleet.address());
            if (then == null || spec == null) {
                continue;
            }
            String wanted = then.launch().imageId();
            // the user data the stack gives with the revision's containers (the caller evaluated it so); a
            // fleet that runs no container keeps its user data, as it keeps its sizes and tags
            String userData = Differ.launch(spec, wanted).userDataSha256();
            boolean userDataBack = !spec.containers().isEmpty() && !userData.equals(fleet.launch().userDataSha256());
            if (wanted.equals(fleet.launch().imageId()) && !userDataBack && fleet.instancesOffImage() == 0 && fleet.roll() == null) {
                continue;
            }
            boolean exists = live.images().stream().anyMatch(i -> i.imageId().equals(wanted));
            if (!exists) {
                blockers.add(fleet.address() + " cannot go back to " + wanted + ": that image no longer exists (retired)");
                continue;
            }
            List<String> gone = new ArrayList<>();
            for (Address container : spec.containers()) {
                var record = target.images().get(container);
                String ref = record == null || record.current() == null ? null : record.current().imageId();
                if (ref != null && live.images().stream().noneMatch(i -> i.imageId().equals(ref))) {
                    gone.add(ref);
                }
            }
            if (!gone.isEmpty()) {
                blockers.add(fleet.address() + " cannot go back to " + String.join(", ", gone) + ": no longer in the registry (retired)");
                continue;
            }
            RolloutPolicy policy = spec.rollout() == null ? RolloutPolicy.defaults(spec.address(), spec.range())
                    : desired.rollouts().getOrDefault(spec.rollout(), RolloutPolicy.defaults(spec.rollout(), spec.range()));
            List<Reason> reasons = new ArrayList<>();
            String running = fleet.launch().imageId();
            if (fleet.roll() != null) {
                // a roll an interrupted apply left under way is turned back first (the executor does it)
                running = fleet.roll().from().imageId();
                reasons.add(new Reason(Differ.ROLL_BACK_ROLL, fleet.roll().id(), "", "the roll to " + fleet.roll().to().imageId()
                        + " was under way (" + fleet.roll().progress() + "); the rollback turns it back first"));
            }
            int instances = fleet.roll() == null ? 0 : fleet.roll().replaced();
            List<AttributeChange> attributes = new ArrayList<>();
            // the image id is what the executor rolls to, even when turning the roll back gets there
            attributes.add(new AttributeChange("image_id", running, wanted));
            if (!running.equals(wanted)) {
                reasons.add(new Reason("rollback", "revision " + shortId(targetRevision), running, wanted));
                instances += spec.desired();
            } else if (userDataBack) {
                // the same machine image, other containers: the user data names the revision's digests
                reasons.add(new Reason("rollback", "revision " + shortId(targetRevision) + " user_data",
                        shortHash(fleet.launch().userDataSha256()), shortHash(userData)));
                instances += spec.desired();
            }
            if (userDataBack) {
                attributes.add(new AttributeChange("user_data", shortHash(fleet.launch().userDataSha256()), shortHash(userData)));
            }
            changes.add(new ResourceChange(fleet.address(), Action.ROLL, reasons, attributes,
                    RolloutEstimator.estimate(policy, spec.desired(), instances), false));
        }
        changes.sort(java.util.Comparator.comparing(ResourceChange::address));
        return new Plan(stack, revisionNow, live.fingerprint(), changes, blockers);
    }

    private static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String shortId(String id) {
        return id.length() > 7 ? id.substring(0, 7) : id;
    }
}
