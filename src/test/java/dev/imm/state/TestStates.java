package dev.imm.state;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Recorded states for state tests, and a clock that moves only when told. */
public final class TestStates {
    public static final String LINEAGE = "0b7d5c1e-7a43-4bb2-9d55-3a1f4f0c2e11";

    private TestStates() {
    }

    public static ImageRecord image(String name, String... amis) {
        List<ImageVersion> versions = new ArrayList<>();
        for (int i = 0; i < amis.length; i++) {
            versions.add(new ImageVersion(amis[i], "sha256:" + name + i, i == 0 ? null : amis[i - 1], 1_700_000_000_000L + i));
        }
        return new ImageRecord(Address.of("image", name), versions);
    }

    public static FleetRecord fleet(Address address, String imageId, int desired) {
        LaunchConfiguration launch = new LaunchConfiguration(imageId, "t3.micro", "e3b0c442", List.of("subnet-a", "subnet-b"),
                List.of("sg-1"), null);
        return new FleetRecord(address, "asg-" + address.name(), Address.of("image", "app"), "sha256:app0", launch,
                1, 4, desired, List.of(), new TreeMap<>(Map.of("team", "web")), null, false, null);
    }

    public static FleetRecord fleet(String name, String imageId, int desired) {
        return fleet(Address.of("fleet", name), imageId, desired);
    }

    public static RecordedState state(long serial, List<ImageRecord> images, List<FleetRecord> fleets) {
        TreeMap<Address, ImageRecord> i = new TreeMap<>();
        images.forEach(r -> i.put(r.address(), r));
        TreeMap<Address, FleetRecord> f = new TreeMap<>();
        fleets.forEach(r -> f.put(r.address(), r));
        return new RecordedState(serial, LINEAGE, new TreeMap<>(Map.of("url", "http://web.example")), i, f);
    }

    public static CommitInfo info(String summary, String applyId, String status, long millis) {
        return new CommitInfo(summary, "", Map.of(CommitMessage.APPLY, applyId, CommitMessage.STATUS, status), "Alice",
                "alice@example.com", millis);
    }

    /** A clock for leases: it stands still until {@link #advance} moves it. */
    public static final class MutableClock extends Clock {
        private final AtomicLong millis;

        public MutableClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        public void advance(java.time.Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
