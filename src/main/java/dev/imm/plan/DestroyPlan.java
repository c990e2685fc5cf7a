package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plan of {@code imm destroy}: every fleet of the stack (recorded or found in the cloud) is destroyed,
 * then every recorded image version that no remaining fleet uses is retired. A fleet with
 * {@code prevent_destroy = true} (in the configuration or, for a fleet no longer declared, in its record)
 * stops the plan. Fleets the cloud already lost are only dropped from the state, and so are image versions
 * the cloud already lost (retiring them again is harmless). Pure: the same inputs give the same plan;
 * fleets first by address, then retirements by image, oldest version first.
 */
public final class DestroyPlan {
    private DestroyPlan() {
    }

    public static Plan plan(String stack, String revisionNow, DesiredState desired, RecordedState recorded, LiveState live) {
        List<ResourceChange> changes = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        TreeMap<Address, LiveFleet> liveFleets = new TreeMap<>();
        for (LiveFleet f : live.fleets()) {
            liveFleets.putIfAbsent(f.address(), f);
        }
        for (FleetRecord record : recorded.fleets().values()) {
            Drift.matching(live, record).ifPresent(f -> liveFleets.put(record.address(), f));
        }
        TreeMap<Address, Boolean> fleets = new TreeMap<>();
        recorded.fleets().keySet().forEach(a -> fleets.put(a, true));
        liveFleets.keySet().forEach(a -> fleets.put(a, true));
        Set<String> stillInUse = new HashSet<>();
        for (Address address : fleets.keySet()) {
            FleetRecord record = recorded.fleets().get(address);
            LiveFleet fleet = liveFleets.get(address);
            if (fleet == null) {
                changes.add(new ResourceChange(address, Action.DESTROY,
                        List.of(new Reason("drift", address.toString(), record.fleetId(), "already gone from the cloud")),
                        List.of(), null, true));
                continue;
            }
            FleetSpec spec = desired.fleets().get(address);
            boolean prevented = spec != null ? spec.preventDestroy() : record != null && record.preventDestroy();
            if (prevented) {
                blockers.add(address + " has prevent_destroy = true, so it cannot be destroyed; " + (spec != null
                        ? "set prevent_destroy = false in its block to destroy it"
                        : "it is no longer declared, but its record keeps the setting: declare it again with "
                                + "prevent_destroy = false and apply, then destroy"));
                stillInUse.add(fleet.launch().imageId());
                fleet.instances().forEach(i -> stillInUse.add(i.imageId()));
            }
            changes.add(new ResourceChange(address, Action.DESTROY, List.of(Reason.of("destroy-requested", address.toString())),
                    List.of(new AttributeChange("fleet_id", fleet.fleetId(), ""),
                            new AttributeChange("instances", String.valueOf(fleet.instances().size()), "0")), null, false));
        }
        Set<String> liveImageIds = new HashSet<>();
        live.images().forEach(i -> liveImageIds.add(i.imageId()));
        for (ImageRecord record : recorded.images().values()) {
            for (ImageVersion v : record.versions()) {
                if (stillInUse.contains(v.imageId())) {
                    continue;
                }
                boolean gone = !liveImageIds.contains(v.imageId());
                Reason why = gone ? new Reason("drift", record.address().toString(), v.imageId(), "already gone from the cloud")
                        : new Reason("destroy-requested", record.address().toString(), v.imageId(), "retired");
                changes.add(new ResourceChange(record.address(), Action.RETIRE, List.of(why),
                        List.of(new AttributeChange("image_id", v.imageId(), "")), null, gone));
            }
        }
        return new Plan(stack, revisionNow, live.fingerprint(), changes, blockers);
    }
}
