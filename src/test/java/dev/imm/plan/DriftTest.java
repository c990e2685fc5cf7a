package dev.imm.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveState;
import dev.imm.state.FleetRecord;
import dev.imm.state.RecordedState;
import dev.imm.state.TestStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DriftTest {
    private static final Address APP = Address.of("image", "app");

    private static LiveImage image(String id) {
        return LiveImage.of(id, APP, "sha256:app0", null, 0, Map.of("imm:stack", "shop"));
    }

    /** The cloud's view of a recorded fleet: same everything, every instance on the launch image. */
    private static LiveFleet live(FleetRecord r, int instances, String instanceImage) {
        List<LiveInstance> list = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            list.add(new LiveInstance("i-" + i, instanceImage, true));
        }
        TreeMap<String, String> tags = new TreeMap<>(r.tags());
        tags.put("imm:stack", "shop");
        tags.put("imm:fleet", r.address().toString());
        return new LiveFleet(r.fleetId(), r.address(), r.launch(), r.min(), r.max(), r.desired(), r.targetGroups(), tags, list);
    }

    private static List<String> lines(RecordedState recorded, LiveState live) {
        return Drift.between(recorded, live).stream().map(Drift.Difference::toString).toList();
    }

    @Test
    void aCloudThatMatchesTheRecordHasNoDrift() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 3);
        RecordedState recorded = TestStates.state(4, List.of(TestStates.image("app", "ami-1", "ami-2")), List.of(web));
        LiveState live = new LiveState(List.of(image("ami-1"), image("ami-2")), List.of(live(web, 3, "ami-2")));
        assertEquals(List.of(), lines(recorded, live), "imm:* tags are imm's own and never drift");
    }

    @Test
    void sizesLaunchAndInstancesChangedInTheCloudAreEachOneLine() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 4);
        RecordedState recorded = TestStates.state(4, List.of(TestStates.image("app", "ami-1", "ami-2")), List.of(web));
        LiveFleet changed = live(web, 4, "ami-2");
        List<LiveInstance> instances = new ArrayList<>(changed.instances());
        instances.set(0, new LiveInstance("i-0", "ami-1", true));
        instances.set(1, new LiveInstance("i-1", "ami-1", true));
        LaunchConfiguration bigger = new LaunchConfiguration("ami-2", "t3.large", web.launch().userDataSha256(),
                web.launch().subnets(), web.launch().securityGroups(), null);
        changed = new LiveFleet(web.fleetId(), web.address(), bigger, 1, 4, 6, List.of(), changed.tags(), instances);
        LiveState live = new LiveState(List.of(image("ami-1"), image("ami-2")), List.of(changed));
        assertEquals(List.of(
                "fleet.web instance_type t3.micro -> t3.large (changed in the cloud)",
                "fleet.web desired 4 -> 6 (changed in the cloud)",
                "fleet.web 2 instances not on ami-2"), lines(recorded, live));
        assertEquals(List.of(Drift.Kind.FLEET_CHANGED, Drift.Kind.FLEET_CHANGED, Drift.Kind.FLEET_OFF_IMAGE),
                Drift.between(recorded, live).stream().map(Drift.Difference::kind).toList());
    }

    @Test
    void whatTheCloudLostOrHoldsUnrecordedIsListedImagesFirst() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        FleetRecord api = TestStates.fleet("api", "ami-2", 2);
        RecordedState recorded = TestStates.state(4, List.of(TestStates.image("app", "ami-1", "ami-2")), List.of(web, api));
        FleetRecord stray = TestStates.fleet("stray", "ami-2", 1);
        LiveState live = new LiveState(List.of(image("ami-2"), image("ami-9")),
                List.of(live(web, 2, "ami-2"), live(stray, 1, "ami-2")));
        assertEquals(List.of(
                "image.app ami-1 missing",
                "image.app ami-9 in the cloud but not in the state",
                "fleet.api asg-api missing",
                "fleet.stray asg-stray in the cloud but not in the state"), lines(recorded, live));
        assertTrue(Drift.Kind.FLEET_MISSING.recordable() && !Drift.Kind.FLEET_NOT_RECORDED.recordable());
    }

    @Test
    void aGroupRecreatedOutsideImmIsFoundByItsAddress() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        RecordedState recorded = TestStates.state(4, List.of(TestStates.image("app", "ami-2")), List.of(web));
        LiveFleet same = live(web, 2, "ami-2");
        LiveFleet recreated = new LiveFleet("asg-new", web.address(), same.launch(), same.min(), same.max(), same.desired(),
                same.targetGroups(), same.tags(), same.instances());
        assertEquals(List.of("fleet.web fleet_id asg-web -> asg-new (changed in the cloud)"),
                lines(recorded, new LiveState(List.of(image("ami-2")), List.of(recreated))));
    }
}
