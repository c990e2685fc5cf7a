package dev.imm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.plan.Drift;
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

/** What refresh writes into the state, without a cloud or a repository. */
class RefresherTest {
    private static final Address APP = Address.of("image", "app");

    private static LiveImage image(String id, String bakeHash) {
        return LiveImage.of(id, APP, bakeHash, null, 0, Map.of("imm:stack", "shop"));
    }

    private static LiveFleet live(FleetRecord r, LaunchConfiguration launch, int min, int desired, int max) {
        TreeMap<String, String> tags = new TreeMap<>(r.tags());
        tags.put("imm:stack", "shop");
        return new LiveFleet(r.fleetId(), r.address(), launch, min, max, desired, List.of("tg-1"), tags,
                List.of(new LiveInstance("i-1", launch.imageId(), true)));
    }

    @Test
    void fleetsTakeTheCloudsValuesAndWhatTheCloudLostIsDropped() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        FleetRecord gone = TestStates.fleet("gone", "ami-2", 2);
        RecordedState recorded = TestStates.state(5, List.of(TestStates.image("app", "ami-1", "ami-2"),
                TestStates.image("old", "ami-0")), List.of(web, gone));
        LaunchConfiguration back = new LaunchConfiguration("ami-1", "t3.micro", web.launch().userDataSha256(),
                web.launch().subnets(), web.launch().securityGroups(), null);
        LiveState live = new LiveState(List.of(image("ami-1", "sha256:app0"), image("ami-2", "sha256:app1")),
                List.of(live(web, back, 2, 5, 8)));

        RecordedState next = Refresher.refreshed(recorded, live);
        assertEquals(5, next.serial(), "the serial is the commit's business");
        assertEquals(List.of(APP), List.copyOf(next.images().keySet()), "image.old's only version is gone");
        assertEquals(List.of(Address.of("fleet", "web")), List.copyOf(next.fleets().keySet()));
        FleetRecord refreshed = next.fleets().get(Address.of("fleet", "web"));
        assertEquals(back, refreshed.launch());
        assertEquals(List.of(2, 5, 8), List.of(refreshed.min(), refreshed.desired(), refreshed.max()));
        assertEquals(List.of("tg-1"), refreshed.targetGroups());
        assertEquals(Map.of("team", "web"), refreshed.tags(), "imm's own tags are not recorded");
        assertEquals("sha256:app0", refreshed.bakeHash(), "the bake hash of the image the cloud runs");
        assertEquals(web.rollout(), refreshed.rollout());

        List<Drift.Difference> recordable = Drift.between(recorded, live).stream().filter(d -> d.kind().recordable()).toList();
        assertEquals("refresh: fleet.web updated from the cloud, 1 fleet gone from the cloud dropped, "
                + "1 image version gone from the cloud dropped", Refresher.summary(recordable));
    }

    @Test
    void aCloudThatMatchesChangesNothing() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        RecordedState recorded = TestStates.state(5, List.of(TestStates.image("app", "ami-2")), List.of(web));
        LiveFleet same = new LiveFleet(web.fleetId(), web.address(), web.launch(), web.min(), web.max(), web.desired(),
                web.targetGroups(), web.tags(), List.of(new LiveInstance("i-1", "ami-2", true)));
        RecordedState next = Refresher.refreshed(recorded, new LiveState(List.of(image("ami-2", "sha256:app0")), List.of(same)));
        assertEquals(recorded, next);
    }

    @Test
    void aFleetOnAnImageTheCloudDoesNotKnowKeepsItsImageWithoutABakeHash() {
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        RecordedState recorded = TestStates.state(5, List.of(TestStates.image("app", "ami-2")), List.of(web));
        LaunchConfiguration foreign = new LaunchConfiguration("ami-public", "t3.micro", web.launch().userDataSha256(),
                web.launch().subnets(), web.launch().securityGroups(), null);
        RecordedState next = Refresher.refreshed(recorded,
                new LiveState(List.of(image("ami-2", "sha256:app0")), List.of(live(web, foreign, 1, 2, 4))));
        FleetRecord refreshed = next.fleets().get(web.address());
        assertEquals(APP, refreshed.image());
        assertNull(refreshed.bakeHash());
    }
}
