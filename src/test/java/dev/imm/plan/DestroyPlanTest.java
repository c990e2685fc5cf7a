package dev.imm.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.ProviderConfig;
import dev.imm.model.StateConfig;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveState;
import dev.imm.state.FleetRecord;
import dev.imm.state.RecordedState;
import dev.imm.state.TestStates;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DestroyPlanTest {
    private static final Address APP = Address.of("image", "app");
    private static final DesiredState NOTHING_DECLARED = new DesiredState(ProviderConfig.SIMULATED, StateConfig.LOCAL,
            new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(), new TreeMap<>(), new TreeMap<>());

    private static LiveImage image(String id) {
        return LiveImage.of(id, APP, "sha256:app0", null, 0, Map.of());
    }

    private static LiveFleet live(FleetRecord r) {
        return new LiveFleet(r.fleetId(), r.address(), r.launch(), r.min(), r.max(), r.desired(), r.targetGroups(), r.tags(),
                List.of(new LiveInstance("i-1", r.launch().imageId(), true), new LiveInstance("i-2", r.launch().imageId(), true)));
    }

    private static List<String> summary(Plan plan) {
        return plan.changes().stream().map(c -> c.action().spelling() + " " + c.address() + " " + c.reasons().get(0)).toList();
    }

    @Test
    void everyFleetIsDestroyedThenEveryVersionRetiredOldestFirst() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        FleetRecord gone = TestStates.fleet("gone", "ami-1", 2);
        RecordedState recorded = TestStates.state(7, List.of(TestStates.image("app", "ami-1", "ami-2")), List.of(web, gone));
        LiveState live = new LiveState(List.of(image("ami-2")), List.of(live(web)));
        Plan plan = DestroyPlan.plan("shop", "abc", NOTHING_DECLARED, recorded, live);
        assertEquals(List.of(
                "destroy fleet.gone drift fleet.gone asg-gone -> already gone from the cloud",
                "destroy fleet.web destroy-requested fleet.web",
                "retire image.app drift image.app ami-1 -> already gone from the cloud",
                "retire image.app destroy-requested image.app ami-2 -> retired"), summary(plan));
        assertEquals(List.of(), plan.blockers());
        assertEquals("ami-2", plan.changes().get(3).attributes().get(0).before(), "the executor retires the id it finds here");
        assertEquals("asg-web", plan.changes().get(1).attributes().get(0).before(), "the executor destroys the group it finds here");
        assertEquals("2", plan.changes().get(1).attributes().get(1).before());
    }

    @Test
    void preventDestroyInTheRecordOfAnUndeclaredFleetBlocksAndKeepsItsImage() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        FleetRecord kept = new FleetRecord(web.address(), web.fleetId(), web.image(), web.bakeHash(), web.launch(), web.min(),
                web.max(), web.desired(), web.targetGroups(), web.tags(), web.rollout(), true, null);
        RecordedState recorded = TestStates.state(7, List.of(TestStates.image("app", "ami-1", "ami-2")), List.of(kept));
        LiveState live = new LiveState(List.of(image("ami-1"), image("ami-2")), List.of(live(kept)));
        Plan plan = DestroyPlan.plan("shop", "abc", NOTHING_DECLARED, recorded, live);
        assertEquals(1, plan.blockers().size());
        assertTrue(plan.blockers().get(0).startsWith("fleet.web has prevent_destroy = true"), plan.blockers().get(0));
        assertEquals(List.of(
                "destroy fleet.web destroy-requested fleet.web",
                "retire image.app destroy-requested image.app ami-1 -> retired"), summary(plan),
                "the version the protected fleet runs is not retired");
    }

    @Test
    void anEmptyStackHasNothingToDestroy() {
        Plan plan = DestroyPlan.plan("shop", null, NOTHING_DECLARED, RecordedState.empty("x"), new LiveState(List.of(), List.of()));
        assertEquals(List.of(), plan.changes());
        assertEquals(false, plan.hasChanges());
    }
}
