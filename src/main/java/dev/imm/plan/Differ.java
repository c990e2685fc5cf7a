package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.BakeInputs;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImageLayers;
import dev.imm.model.ImageSpec;
import dev.imm.model.ProvisionStep;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceSpec;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.LiveBake;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveRoll;
import dev.imm.state.FleetRecord;
import dev.imm.state.RollAttempt;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Computes a plan from the desired, recorded and live states. The live state is what a fleet is compared
 * against (it is what the cloud runs); where it differs from the recorded state the change is marked as
 * drift. An image bakes when no existing version has its bake hash; a fleet rolls when its launch
 * configuration (image, instance type, user data, network, security groups, IAM profile) changes, and is
 * updated in place when only its sizes, tags or target groups do. Pure: the same inputs give the same plan.
 */
public final class Differ {
    /** How a value that only a bake will tell is shown. */
    public static final String AFTER_BAKE = "(known after bake)";
    /** The reason of a roll under way that still goes where the configuration wants: apply carries it on. */
    public static final String RESUME_ROLL = "resume-roll";
    /** The reason of a roll under way that no longer goes where the configuration wants: apply turns it back first. */
    public static final String ROLL_BACK_ROLL = "roll-back-interrupted";
    /** The reason of a bake under way that bakes what the configuration wants: apply carries it on. */
    public static final String RESUME_BAKE = "resume-bake";
    /** The reason of a fleet's creation under way: apply waits for it before anything else. */
    public static final String RESUME_CREATE = "resume-create";
    /** The reason to retire a bake under way that nothing wants any more: its builder is terminated. */
    public static final String STALE_BAKE = "stale-bake";

    private final PlanInputs in;
    private final List<ResourceChange> imageChanges = new ArrayList<>();
    private final List<ResourceChange> fleetChanges = new ArrayList<>();
    private final List<ResourceChange> retirements = new ArrayList<>();
    private final List<String> blockers = new ArrayList<>();
    /** The image id each image will have after the plan, or AFTER_BAKE. */
    private final Map<Address, String> plannedImageIds = new HashMap<>();
    /** Live fleets by address, and live image ids: looked up once per resource. */
    private final Map<Address, LiveFleet> liveFleets = new HashMap<>();
    private final Set<String> liveImageIds = new HashSet<>();
    /** The bakes under way that this plan carries on. */
    private final Set<String> resumedBakes = new HashSet<>();

    private Differ(PlanInputs inputs) {
        this.in = inputs;
        inputs.live().fleets().forEach(f -> liveFleets.put(f.address(), f));
        inputs.live().images().forEach(i -> liveImageIds.add(i.imageId()));
    }

    public static Plan plan(PlanInputs inputs) {
        return new Differ(inputs).run();
    }

    private Plan run() {
        DesiredState desired = in.desired();
        desired.pending().forEach((address, reason) ->
                blockers.add(address + " cannot be planned: it " + reason + ", which is not known yet"));
        for (ImageSpec image : ImageLayers.parentsFirst(desired.images().values())) {
            image(image);
        }
        staleBakes();
        for (FleetSpec fleet : desired.fleets().values()) {
            fleet(fleet);
        }
        removedFleets();
        fleetChanges.sort(java.util.Comparator.comparing(ResourceChange::address));
        retirements();
        List<ResourceChange> changes = new ArrayList<>();
        changes.addAll(imageChanges);
        changes.addAll(fleetChanges);
        changes.addAll(retirements);
        changes = targeted(changes);
        return new Plan(in.stack(), in.stateRevision().orElse(null), in.live().fingerprint(), changes, blockers);
    }

    // ---- images ----

    private Optional<LiveImage> liveImage(Address address, String bakeHash) {
        return in.live().images().stream()
                .filter(i -> i.address().equals(address) && i.bakeHash().equals(bakeHash))
                .findFirst();
    }

    private boolean liveHasImage(String imageId) {
        return liveImageIds.contains(imageId);
    }

    private void image(ImageSpec spec) {
        Address address = spec.address();
        if (spec.bakeHash() == null) {
            blockers.add(address + " cannot be planned: its source could not be resolved");
            return;
        }
        ImageRecord record = in.recorded().images().get(address);
        ImageVersion current = record == null ? null : record.current();
        List<AttributeChange> attributes = new ArrayList<>();
        attributes.add(new AttributeChange("bake_hash", current == null ? "" : current.bakeHash(), spec.bakeHash()));
        if (current != null && current.bakeHash().equals(spec.bakeHash())) {
            if (liveHasImage(current.imageId())) {
                plannedImageIds.put(address, current.imageId());
                imageChanges.add(new ResourceChange(address, Action.NO_OP, List.of(), List.of(), null, false));
            } else {
                plannedImageIds.put(address, AFTER_BAKE);
                List<Reason> reasons = new ArrayList<>();
                resumeBake(spec, reasons);
                reasons.add(new Reason("drift", address.toString(), current.imageId(), "missing in the cloud"));
                imageChanges.add(new ResourceChange(address, Action.BAKE, reasons, attributes, null, true));
            }
            return;
        }
        Optional<LiveImage> existing = liveImage(address, spec.bakeHash());
        if (existing.isPresent()) {
            // a version with these exact inputs exists (an earlier bake): it is reused, never baked again
            plannedImageIds.put(address, existing.get().imageId());
            imageChanges.add(new ResourceChange(address, Action.NO_OP,
                    List.of(new Reason("already-baked", address.toString(), "", existing.get().imageId())), attributes, null, false));
            return;
        }
        plannedImageIds.put(address, AFTER_BAKE);
        List<Reason> reasons = new ArrayList<>();
        if (current == null) {
            reasons.add(Reason.of("new-image", address.toString()));
        } else {
            Optional<String> previous = in.recordedBakeInputs().apply(current.bakeHash());
            List<Reason> changed = previous.isPresent() && spec.bakeInputs() != null
                    ? BakeInputsDiff.reasons(previous.get(), spec.bakeInputs())
                    : List.of(Reason.of("inputs-changed", ""));
            for (Reason r : changed) {
                reasons.add(withStepPath(r, spec));
            }
        }
        if (spec.source() instanceof SourceSpec.Layered layered && AFTER_BAKE.equals(plannedImageIds.get(layered.image()))) {
            reasons.removeIf(r -> r.code().equals("source-changed"));
            reasons.add(0, Reason.of("source-changed", layered.image() + " bakes"));
        }
        resumeBake(spec, reasons);
        imageChanges.add(new ResourceChange(address, Action.BAKE, reasons, attributes, null, false));
    }

    /**
     * A bake of these exact inputs under way in the cloud (an apply that started it was stopped) is
     * carried on, not started again: its reason comes first.
     */
    private void resumeBake(ImageSpec spec, List<Reason> reasons) {
        for (LiveBake bake : in.live().bakes()) {
            if (bake.image().equals(spec.address()) && bake.bakeHash().equals(spec.bakeHash())) {
                resumedBakes.add(bake.id());
                reasons.add(0, new Reason(RESUME_BAKE, bake.id(), "", "the bake was under way when "
                        + stopped(bake.id()) + " (" + bake.progress() + "); apply carries it on"));
                return;
            }
        }
    }

    /** {@code apply 0123abcd4567 stopped}, or that the journal does not say, for an operation under way. */
    private String stopped(String operationId) {
        String apply = in.journaled().get(operationId);
        return apply != null ? "apply " + apply + " stopped" : "imm last stopped (it is not in the journal)";
    }

    /**
     * Bakes under way that the configuration no longer wants (other inputs now, or an image since
     * removed) are retired: their builders are terminated, so nothing is left running that the state
     * does not know.
     */
    private void staleBakes() {
        for (LiveBake bake : in.live().bakes()) {
            if (!resumedBakes.contains(bake.id())) {
                retirements.add(new ResourceChange(bake.image(), Action.RETIRE,
                        List.of(new Reason(STALE_BAKE, bake.id(), "", "the bake of other inputs was under way when "
                                + stopped(bake.id()) + " (" + bake.progress() + "); its builder is terminated")),
                        List.of(new AttributeChange("builder", bake.id(), "")), null, false));
            }
        }
    }

    /** {@code script-changed step 2} becomes {@code script-changed scripts/app.sh}: users know files by path. */
    private static Reason withStepPath(Reason r, ImageSpec spec) {
        if (!r.path().startsWith("step ")) {
            return r;
        }
        int index = Integer.parseInt(r.path().substring(5)) - 1;
        if (index < 0 || index >= spec.steps().size()) {
            return r;
        }
        ProvisionStep step = spec.steps().get(index);
        String path = step instanceof ProvisionStep.Shell shell && shell.scriptPath() != null ? shell.scriptPath()
                : step instanceof ProvisionStep.FileUpload file ? file.sourcePath() : r.path();
        return new Reason(r.code(), path, r.before(), r.after());
    }

    // ---- fleets ----

    private LiveFleet liveFleet(Address address) {
        return liveFleets.get(address);
    }

    private void fleet(FleetSpec spec) {
        Address address = spec.address();
        FleetRecord record = in.recorded().fleets().get(address);
        LiveFleet live = liveFleet(address);
        String imageId = plannedImageIds.getOrDefault(spec.image(), AFTER_BAKE);
        LaunchConfiguration launch = launch(spec, imageId);
        RolloutPolicy policy = spec.rollout() == null ? RolloutPolicy.defaults(address, spec.range())
                : in.desired().rollouts().getOrDefault(spec.rollout(), RolloutPolicy.defaults(spec.rollout(), spec.range()));
        if (live == null) {
            boolean drift = record != null;
            List<Reason> reasons = drift ? List.of(new Reason("drift", address.toString(), record.fleetId(), "missing in the cloud"))
                    : List.of(Reason.of("new-fleet", address.toString()));
            fleetChanges.add(new ResourceChange(address, Action.CREATE, reasons, createAttributes(spec, launch), null, drift));
            return;
        }
        if (live.roll() != null) {
            rollUnderWay(spec, record, live, launch, policy);
            return;
        }
        List<Reason> reasons = new ArrayList<>();
        List<AttributeChange> attributes = new ArrayList<>();
        boolean roll = launchChanges(spec, live.launch(), launch, reasons, attributes);
        boolean recordLags = record != null && !Objects.equals(record.launch(), live.launch());
        if (recordLags) {
            reasons.add(new Reason("drift", address + " launch configuration", "recorded", "changed in the cloud"));
        }
        long offImage = live.instancesOffImage();
        if (!roll && offImage > 0) {
            roll = true;
            reasons.add(new Reason("drift", address.toString(), "", offImage + " instance" + (offImage == 1 ? "" : "s") + " not on the declared image"));
        }
        if (!roll && in.replace().contains(address)) {
            roll = true;
            reasons.add(Reason.of("replace-requested", address.toString()));
        }
        boolean update = sizeAndTagChanges(spec, live, record, reasons, attributes);
        if (recordLags && !roll && !update) {
            // the cloud already runs the declared launch configuration, the state does not say so (an apply
            // stopped after the cloud changed, before the state recorded it): recording it needs no instance
            update = true;
        }
        if (live.creating()) {
            // an apply stopped while the group was being created: apply waits for it first, then records it
            reasons.add(0, new Reason(RESUME_CREATE, live.fleetId(), "", "creating the group was under way when "
                    + stopped(live.fleetId()) + " (" + live.instances().size() + " of " + live.desired()
                    + " instances launched); apply carries it on"));
            update |= !roll;
        }
        if (record == null && !roll && !update) {
            // in the cloud but not in the state (an apply stopped before recording it, or state lost):
            // an update in place records it without touching an instance
            update = true;
            reasons.add(new Reason("drift", address.toString(), live.fleetId(), "in the cloud, not in the state"));
        }
        boolean drift = reasons.stream().anyMatch(r -> r.code().equals("drift"));
        if (roll && record != null && record.lastAttempt() != null) {
            RollAttempt last = record.lastAttempt();
            reasons.add(new Reason("last-attempt-" + last.outcome(), address.toString(), "",
                    "the last roll to " + last.imageId() + " " + last.outcome().replace('-', ' ') + ": " + last.reason()));
        }
        if (roll) {
            int toReplace = policy.skipMatching() && !AFTER_BAKE.equals(imageId) && live.launch().equals(launch)
                    ? (int) offImage : spec.desired();
            RollEstimate estimate = RolloutEstimator.estimate(policy, spec.desired(), toReplace);
            fleetChanges.add(new ResourceChange(address, Action.ROLL, reasons, attributes, estimate, drift));
        } else if (update) {
            fleetChanges.add(new ResourceChange(address, Action.UPDATE, reasons, attributes, null, drift));
        } else {
            fleetChanges.add(new ResourceChange(address, Action.NO_OP, List.of(), List.of(), null, false));
        }
    }

    /**
     * A roll is under way on the fleet (an apply that started it was stopped): when it goes to the launch
     * configuration the stack declares, apply carries it on; otherwise apply turns it back to the
     * configuration the fleet had before it, then rolls to the declared one unless that is the one it had.
     * Either way the change is a roll, compared with the configuration before the interrupted one; its
     * estimate counts the instances left to replace, or those to turn back plus a whole roll.
     */
    private void rollUnderWay(FleetSpec spec, FleetRecord record, LiveFleet live, LaunchConfiguration launch,
                              RolloutPolicy policy) {
        Address address = spec.address();
        LiveRoll roll = live.roll();
        boolean resume = roll.to().equals(launch);
        String what = "the roll to " + roll.to().imageId() + " was under way when " + stopped(roll.id())
                + " (" + roll.progress() + "); ";
        List<Reason> reasons = new ArrayList<>();
        List<AttributeChange> attributes = new ArrayList<>();
        boolean rollAfter = launchChanges(spec, roll.from(), launch, reasons, attributes);
        if (resume) {
            reasons.add(0, new Reason(RESUME_ROLL, roll.id(), "", what + "apply carries it on"));
        } else {
            reasons.add(0, new Reason(ROLL_BACK_ROLL, roll.id(), "", what + "the configuration now wants "
                    + launch.imageId() + (launch.imageId().equals(roll.to().imageId()) ? " with other settings" : "")
                    + ", so apply rolls it back" + (rollAfter ? " first" : "")));
        }
        sizeAndTagChanges(spec, live, record, reasons, attributes);
        // the roll under way goes on (or back) under the policy it started with, as the cloud keeps it
        RolloutPolicy running = roll.policy() != null ? roll.policy() : policy;
        RollEstimate estimate;
        if (resume) {
            estimate = RolloutEstimator.estimate(running, spec.desired(),
                    roll.strategy() == RolloutPolicy.Strategy.BLUE_GREEN ? spec.desired() : roll.total() - roll.replaced());
        } else {
            // turning back goes in plain batches under the same bounds, with no canary pauses
            estimate = RolloutEstimator.estimate(asRolling(running), spec.desired(), roll.replaced());
            if (rollAfter) {
                estimate = estimate.then(RolloutEstimator.estimate(policy, spec.desired(), spec.desired()));
            }
        }
        fleetChanges.add(new ResourceChange(address, Action.ROLL, reasons, attributes, estimate, false));
    }

    private static RolloutPolicy asRolling(RolloutPolicy p) {
        return new RolloutPolicy(p.address(), RolloutPolicy.Strategy.ROLLING, p.minHealthy(), p.maxHealthy(), p.warmupMillis(),
                p.onFailure(), List.of(), 0, p.alarms(), 0, p.verifyMillis(), p.drainMillis(), p.stepTimeoutMillis(),
                p.skipMatching(), p.range());
    }

    /** The launch configuration the fleet should run; user data is kept as its hash (it may hold secrets). */
    public static LaunchConfiguration launch(FleetSpec spec, String imageId) {
        String userData;
        Value data = Values.unmarked(spec.userData());
        if (data instanceof Value.Null) {
            userData = "";
        } else if (data instanceof Value.Str s) {
            userData = BakeInputs.sha256(s.value());
        } else {
            userData = AFTER_BAKE;
        }
        return new LaunchConfiguration(imageId, spec.instanceType(), userData, spec.subnets(), spec.securityGroups(),
                spec.iamProfile() == null ? "" : spec.iamProfile());
    }

    private boolean launchChanges(FleetSpec spec, LaunchConfiguration from, LaunchConfiguration to,
                                         List<Reason> reasons, List<AttributeChange> attributes) {
        boolean changed = false;
        if (!from.imageId().equals(to.imageId())) {
            reasons.add(new Reason(AFTER_BAKE.equals(to.imageId()) ? "image-bakes" : "image-changed", spec.image().toString(),
                    from.imageId(), to.imageId()));
            attributes.add(new AttributeChange("image_id", from.imageId(), to.imageId()));
            changed = true;
        }
        changed |= launchField("instance_type", from.instanceType(), to.instanceType(), reasons, attributes);
        List<String> baking = spec.containers().stream().filter(c -> AFTER_BAKE.equals(plannedImageIds.get(c)))
                .map(Address::toString).toList();
        if (AFTER_BAKE.equals(to.userDataSha256()) && !baking.isEmpty()) {
            // the user data names a container that this plan bakes: its digest comes with the bake
            reasons.add(new Reason("container-bakes", String.join(", ", baking),
                    shortOrEmpty(from.userDataSha256()), AFTER_BAKE));
            attributes.add(new AttributeChange("user_data", shortOrEmpty(from.userDataSha256()), AFTER_BAKE));
            changed = true;
        } else {
            changed |= launchField("user_data", shortOrEmpty(from.userDataSha256()), shortOrEmpty(to.userDataSha256()), reasons,
                    attributes);
        }
        changed |= launchField("subnets", text(from.subnets()), text(to.subnets()), reasons, attributes);
        changed |= launchField("security_groups", text(from.securityGroups()), text(to.securityGroups()), reasons, attributes);
        changed |= launchField("iam_profile", from.iamProfile(), to.iamProfile(), reasons, attributes);
        return changed;
    }

    private static String shortOrEmpty(String hash) {
        return hash.length() > 12 && !hash.startsWith("(") ? "sha256:" + hash.substring(0, 12) : hash;
    }

    private static boolean launchField(String name, String from, String to, List<Reason> reasons, List<AttributeChange> attributes) {
        if (from.equals(to)) {
            return false;
        }
        reasons.add(new Reason(name.replace('_', '-') + "-changed", name, from, to));
        attributes.add(new AttributeChange(name, from, to));
        return true;
    }

    private static boolean sizeAndTagChanges(FleetSpec spec, LiveFleet live, FleetRecord record, List<Reason> reasons,
                                             List<AttributeChange> attributes) {
        boolean changed = false;
        changed |= size("min", live.min(), spec.min(), record == null ? null : record.min(), reasons, attributes);
        changed |= size("max", live.max(), spec.max(), record == null ? null : record.max(), reasons, attributes);
        changed |= size("desired", live.desired(), spec.desired(), record == null ? null : record.desired(), reasons, attributes);
        if (!live.targetGroups().equals(spec.targetGroups())) {
            attributes.add(new AttributeChange("target_groups", text(live.targetGroups()), text(spec.targetGroups())));
            reasons.add(Reason.of("target-groups-changed", "target_groups"));
            changed = true;
        }
        SortedMap<String, String> tags = tagText(spec.tags());
        SortedMap<String, String> liveTags = new TreeMap<>(live.tags());
        liveTags.keySet().removeIf(k -> k.startsWith("imm:"));
        if (!liveTags.equals(tags)) {
            attributes.add(new AttributeChange("tags", text(liveTags), text(tags)));
            reasons.add(Reason.of("tags-changed", "tags"));
            changed = true;
        }
        return changed;
    }

    private static boolean size(String name, int live, int desired, Integer recorded, List<Reason> reasons,
                                List<AttributeChange> attributes) {
        if (live == desired) {
            return false;
        }
        attributes.add(new AttributeChange(name, String.valueOf(live), String.valueOf(desired)));
        boolean drift = recorded != null && recorded != live;
        reasons.add(drift ? new Reason("drift", name, String.valueOf(recorded), "changed in the cloud to " + live)
                : new Reason(name + "-changed", name, String.valueOf(live), String.valueOf(desired)));
        return true;
    }

    /** A list as the language writes it: {@code ["a", "b"]}. */
    static String text(List<String> items) {
        return Values.render(new Value.ListVal(items.stream().<Value>map(Value.Str::new).toList()));
    }

    /** A map as the language writes it: {@code { env = "prod" }}. */
    static String text(Map<String, String> entries) {
        TreeMap<String, Value> values = new TreeMap<>();
        entries.forEach((k, v) -> values.put(k, new Value.Str(v)));
        return Values.render(new Value.MapVal(values));
    }

    /** Tag values as text; a value known only after a bake shows as such. */
    public static SortedMap<String, String> tagText(Map<String, Value> tags) {
        SortedMap<String, String> text = new TreeMap<>();
        tags.forEach((k, v) -> {
            Value u = Values.unmarked(v);
            text.put(k, u instanceof Value.Str s ? s.value() : v instanceof Value.Sensitive ? "(sensitive)" : AFTER_BAKE);
        });
        return text;
    }

    private static List<AttributeChange> createAttributes(FleetSpec spec, LaunchConfiguration launch) {
        List<AttributeChange> a = new ArrayList<>();
        a.add(new AttributeChange("image", "", spec.image().toString()));
        a.add(new AttributeChange("image_id", "", launch.imageId()));
        a.add(new AttributeChange("instance_type", "", spec.instanceType()));
        a.add(new AttributeChange("min", "", String.valueOf(spec.min())));
        a.add(new AttributeChange("desired", "", String.valueOf(spec.desired())));
        a.add(new AttributeChange("max", "", String.valueOf(spec.max())));
        if (!spec.subnets().isEmpty()) {
            a.add(new AttributeChange("subnets", "", text(spec.subnets())));
        }
        if (!spec.targetGroups().isEmpty()) {
            a.add(new AttributeChange("target_groups", "", text(spec.targetGroups())));
        }
        if (!spec.tags().isEmpty()) {
            a.add(new AttributeChange("tags", "", text(tagText(spec.tags()))));
        }
        return a;
    }

    private void removedFleets() {
        Set<Address> known = new LinkedHashSet<>(in.recorded().fleets().keySet());
        in.live().fleets().forEach(f -> known.add(f.address()));
        for (Address address : new TreeMap<Address, Boolean>(toMap(known)).keySet()) {
            if (in.desired().fleets().containsKey(address) || in.desired().pending().containsKey(address.declared())) {
                continue;
            }
            FleetRecord record = in.recorded().fleets().get(address);
            LiveFleet live = liveFleet(address);
            if (live == null) {
                // recorded but already gone: the record is dropped, nothing to do in the cloud
                fleetChanges.add(new ResourceChange(address, Action.DESTROY,
                        List.of(new Reason("drift", address.toString(), record.fleetId(), "already gone from the cloud")), List.of(), null, true));
                continue;
            }
            if (record != null && record.preventDestroy()) {
                blockers.add(address + " has prevent_destroy = true, so it cannot be destroyed; "
                        + "put its block back, or set prevent_destroy = false and apply before removing it");
            }
            fleetChanges.add(new ResourceChange(address, Action.DESTROY, List.of(Reason.of("removed-from-config", address.toString())),
                    List.of(new AttributeChange("fleet_id", live.fleetId(), ""),
                            new AttributeChange("instances", String.valueOf(live.instances().size()), "0")), null, false));
        }
    }

    private static Map<Address, Boolean> toMap(Set<Address> addresses) {
        Map<Address, Boolean> map = new HashMap<>();
        addresses.forEach(a -> map.put(a, true));
        return map;
    }

    // ---- retiring old image versions ----

    /**
     * Versions past an image's {@code keep} (counting a version this plan bakes) are retired oldest first,
     * except the current one, the one before it (the rollback window), and any version a fleet runs; so are
     * images of the stack the state does not know (an apply stopped after baking them) that nothing wants.
     */
    private void retirements() {
        // what fleets run once the plan is applied: a fleet that rolls leaves its image (retirements run only
        // when every roll succeeded); with --target, rolls left out of the plan do not happen, so none counts
        Set<Address> rollingAway = new HashSet<>();
        if (in.targets().isEmpty()) {
            fleetChanges.stream().filter(c -> c.action() == Action.ROLL).forEach(c -> rollingAway.add(c.address()));
        }
        Set<String> inUse = new HashSet<>();
        in.live().fleets().forEach(f -> {
            if (!rollingAway.contains(f.address())) {
                inUse.add(f.launch().imageId());
                f.instances().forEach(i -> inUse.add(i.imageId()));
            }
        });
        in.recorded().fleets().values().stream().filter(f -> !rollingAway.contains(f.address()))
                .forEach(f -> inUse.add(f.launch().imageId()));
        in.desired().fleets().values().forEach(f -> inUse.add(plannedImageIds.getOrDefault(f.image(), AFTER_BAKE)));
        for (ImageRecord record : in.recorded().images().values()) {
            ImageSpec spec = in.desired().images().get(record.address());
            int keep = spec == null ? 0 : spec.keep();
            boolean baking = AFTER_BAKE.equals(plannedImageIds.get(record.address()));
            List<ImageVersion> versions = record.versions();
            int total = versions.size() + (baking ? 1 : 0);
            int protectedFrom = Math.max(0, versions.size() - (baking ? 1 : 2)); // current and rollback window
            for (int i = 0; i < versions.size() && total > keep; i++) {
                ImageVersion v = versions.get(i);
                if (i >= protectedFrom || inUse.contains(v.imageId())) {
                    continue;
                }
                retirements.add(new ResourceChange(record.address(), Action.RETIRE,
                        List.of(new Reason(spec == null ? "removed-from-config" : "past-keep",
                                spec == null ? record.address().toString() : "keep = " + keep, "", "")),
                        List.of(new AttributeChange("image_id", v.imageId(), "")), null, false));
                total--;
            }
        }
        // baked by an apply that stopped before recording it, and not wanted now: nothing will ever use it
        Set<String> recorded = new HashSet<>(plannedImageIds.values());
        in.recorded().images().values().forEach(r -> r.versions().forEach(v -> recorded.add(v.imageId())));
        for (LiveImage image : in.live().images()) {
            if (!recorded.contains(image.imageId()) && !inUse.contains(image.imageId())) {
                retirements.add(new ResourceChange(image.address(), Action.RETIRE,
                        List.of(new Reason("unrecorded", image.imageId(), "", "baked by an apply that stopped before"
                                + " recording it, and not wanted now")),
                        List.of(new AttributeChange("image_id", image.imageId(), "")), null, true));
            }
        }
    }

    // ---- --target ----

    /** With targets, only their changes and those of the images they depend on (layers included). */
    private List<ResourceChange> targeted(List<ResourceChange> changes) {
        if (in.targets().isEmpty()) {
            return changes;
        }
        Set<Address> wanted = new HashSet<>();
        for (Address target : in.targets()) {
            wanted.add(target);
            for (FleetSpec f : in.desired().fleets().values()) {
                if (f.address().equals(target) || f.address().declared().equals(target)) {
                    wanted.add(f.address());
                    addImageAndParents(f.image(), wanted);
                }
            }
            if (in.desired().images().containsKey(target)) {
                addImageAndParents(target, wanted);
            }
        }
        List<ResourceChange> kept = new ArrayList<>();
        for (ResourceChange c : changes) {
            if (wanted.contains(c.address())) {
                kept.add(c);
            }
        }
        return kept;
    }

    /** The image and the images it is layered on (layering has no cycles: evaluation rejects them). */
    private void addImageAndParents(Address image, Set<Address> wanted) {
        for (Address at = image; at != null; ) {
            wanted.add(at);
            ImageSpec spec = in.desired().images().get(at);
            at = spec != null && spec.source() instanceof SourceSpec.Layered l ? l.image() : null;
        }
    }
}
