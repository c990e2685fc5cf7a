package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveState;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the live cloud differs from the recorded state, the configuration left out ({@code imm drift},
 * {@code imm refresh}): recorded image versions and fleets the cloud no longer has, fleets whose sizes,
 * launch configuration, target groups or tags were changed in the cloud, instances that do not run the
 * recorded image, and resources the cloud holds for the stack that the state does not know. Images come
 * first, then fleets, each by address; pure: the same states give the same differences.
 */
public final class Drift {
    /** What kind of difference; refresh records the first three, the others only a plan or apply can settle. */
    public enum Kind {
        /** A recorded image version that is gone from the cloud. */
        IMAGE_MISSING,
        /** A recorded fleet that is gone from the cloud. */
        FLEET_MISSING,
        /** An attribute of a fleet that the cloud has with another value. */
        FLEET_CHANGED,
        /** Instances of a fleet that run another image than the recorded one. */
        FLEET_OFF_IMAGE,
        /** An image the cloud has for the stack that no recorded version names. */
        IMAGE_NOT_RECORDED,
        /** A fleet the cloud has for the stack that the state does not record. */
        FLEET_NOT_RECORDED;

        /** Whether {@code imm refresh} writes this difference into the state. */
        public boolean recordable() {
            return this == IMAGE_MISSING || this == FLEET_MISSING || this == FLEET_CHANGED;
        }
    }

    /** One difference: {@code fleet.web desired 4 -> 6 (changed in the cloud)}. */
    public record Difference(Address address, Kind kind, String detail) {
        @Override
        public String toString() {
            return address + " " + detail;
        }
    }

    private Drift() {
    }

    public static List<Difference> between(RecordedState recorded, LiveState live) {
        List<LiveImage> liveImages = live.images();
        List<LiveFleet> liveFleets = live.fleets();
        List<Difference> images = new ArrayList<>();
        List<Difference> fleets = new ArrayList<>();
        Set<String> liveImageIds = new HashSet<>();
        liveImages.forEach(i -> liveImageIds.add(i.imageId()));
        Set<String> recordedImageIds = new HashSet<>();
        for (ImageRecord record : recorded.images().values()) {
            for (ImageVersion v : record.versions()) {
                recordedImageIds.add(v.imageId());
                if (!liveImageIds.contains(v.imageId())) {
                    images.add(new Difference(record.address(), Kind.IMAGE_MISSING, v.imageId() + " missing"));
                }
            }
        }
        for (LiveImage image : sortedImages(liveImages)) {
            if (!recordedImageIds.contains(image.imageId())) {
                images.add(new Difference(image.address(), Kind.IMAGE_NOT_RECORDED,
                        image.imageId() + " in the cloud but not in the state"));
            }
        }
        Set<String> matchedFleetIds = new HashSet<>();
        for (FleetRecord record : recorded.fleets().values()) {
            Optional<LiveFleet> match = matching(live, record);
            if (match.isEmpty()) {
                fleets.add(new Difference(record.address(), Kind.FLEET_MISSING,
                        (record.fleetId() == null ? "" : record.fleetId() + " ") + "missing"));
                continue;
            }
            matchedFleetIds.add(match.get().fleetId());
            fleet(record, match.get(), fleets);
        }
        for (LiveFleet fleet : sortedFleets(liveFleets)) {
            if (!matchedFleetIds.contains(fleet.fleetId())) {
                fleets.add(new Difference(fleet.address(), Kind.FLEET_NOT_RECORDED,
                        fleet.fleetId() + " in the cloud but not in the state"));
            }
        }
        List<Difference> all = new ArrayList<>(images);
        all.addAll(fleets);
        all.sort(java.util.Comparator.comparing((Difference d) -> d.address().kind().equals("image") ? 0 : 1)
                .thenComparing(Difference::address));
        return all;
    }

    /**
     * The cloud's group for a recorded fleet: the one with the recorded id, else the first the cloud
     * has for that address (the group was recreated outside imm).
     */
    public static Optional<LiveFleet> matching(LiveState live, FleetRecord record) {
        List<LiveFleet> liveFleets = live.fleets();
        Optional<LiveFleet> same = liveFleets.stream().filter(f -> f.fleetId().equals(record.fleetId())).findFirst();
        if (same.isPresent()) {
            return same;
        }
        return sortedFleets(liveFleets).stream().filter(f -> f.address().equals(record.address())).findFirst();
    }

    /** The fleet's tags without those imm itself sets ({@code imm:stack}, {@code imm:fleet}, …). */
    public static SortedMap<String, String> userTags(SortedMap<String, String> tags) {
        SortedMap<String, String> user = new TreeMap<>(tags);
        user.keySet().removeIf(k -> k.startsWith("imm:"));
        return user;
    }

    private static void fleet(FleetRecord record, LiveFleet live, List<Difference> out) {
        Address a = record.address();
        changed(a, "fleet_id", record.fleetId(), live.fleetId(), out);
        LaunchConfiguration was = record.launch();
        LaunchConfiguration now = live.launch();
        changed(a, "image_id", was == null ? null : was.imageId(), now.imageId(), out);
        changed(a, "instance_type", was == null ? null : was.instanceType(), now.instanceType(), out);
        changed(a, "user_data", was == null ? null : userData(was.userDataSha256()), userData(now.userDataSha256()), out);
        changed(a, "subnets", was == null ? null : String.valueOf(was.subnets()), String.valueOf(now.subnets()), out);
        changed(a, "security_groups", was == null ? null : String.valueOf(was.securityGroups()),
                String.valueOf(now.securityGroups()), out);
        changed(a, "iam_profile", was == null ? null : was.iamProfile(), now.iamProfile(), out);
        changed(a, "min", String.valueOf(record.min()), String.valueOf(live.min()), out);
        changed(a, "max", String.valueOf(record.max()), String.valueOf(live.max()), out);
        changed(a, "desired", String.valueOf(record.desired()), String.valueOf(live.desired()), out);
        changed(a, "target_groups", String.valueOf(record.targetGroups()), String.valueOf(live.targetGroups()), out);
        changed(a, "tags", String.valueOf(userTags(record.tags())), String.valueOf(userTags(live.tags())), out);
        String image = was != null && was.imageId() != null ? was.imageId() : now.imageId();
        long off = live.instances().stream().filter(i -> !i.imageId().equals(image)).count();
        if (off > 0) {
            out.add(new Difference(a, Kind.FLEET_OFF_IMAGE, off + (off == 1 ? " instance" : " instances") + " not on " + image));
        }
    }

    private static void changed(Address address, String attribute, String recorded, String live, List<Difference> out) {
        if (!Objects.equals(empty(recorded), empty(live))) {
            out.add(new Difference(address, Kind.FLEET_CHANGED, attribute + " " + shown(recorded) + " -> " + shown(live)
                    + " (changed in the cloud)"));
        }
    }

    private static String empty(String s) {
        return s == null ? "" : s;
    }

    private static String shown(String s) {
        return s == null || s.isEmpty() ? "(none)" : s;
    }

    /** User data is only ever kept as its hash; shown as {@code sha256:} and 12 digits. */
    private static String userData(String sha256) {
        if (sha256 == null || sha256.isEmpty()) {
            return "";
        }
        return sha256.length() > 12 && !sha256.startsWith("(") ? "sha256:" + sha256.substring(0, 12) : sha256;
    }

    private static List<LiveImage> sortedImages(List<LiveImage> images) {
        List<LiveImage> sorted = new ArrayList<>(images);
        sorted.sort(java.util.Comparator.comparing(LiveImage::address).thenComparingLong(LiveImage::createdAtMillis)
                .thenComparing(LiveImage::imageId));
        return sorted;
    }

    private static List<LiveFleet> sortedFleets(List<LiveFleet> fleets) {
        List<LiveFleet> sorted = new ArrayList<>(fleets);
        sorted.sort(java.util.Comparator.comparing(LiveFleet::address).thenComparing(LiveFleet::fleetId));
        return sorted;
    }
}
