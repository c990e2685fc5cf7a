package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.FleetSpec;
import dev.imm.model.ProvisionStep;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.RolloutSizing;
import dev.imm.model.SourceSpec;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.FleetRequest;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveState;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimProviderTest {
    private static final String STACK = "shop";
    private static final Address APP = Address.of("image", "app");
    private static final Address WEB = Address.of("fleet", "web");
    private static final String AL2023_NEWEST = "ami-0e8d3c6f1a2b57d92";
    private static final String HASH_1 = "1".repeat(64);
    private static final String HASH_2 = "2".repeat(64);
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long GRACE = 300_000;
    private static final long WARMUP = 120_000;

    @TempDir
    Path dir;

    // --- determinism and persistence ---

    @Test
    void sameSeedAndCallsGiveTheSameIdsAndTheSameBytes() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<String> idsA = scenario(new SimProvider(a, 7));
        List<String> idsB = scenario(new SimProvider(b, 7));
        assertEquals(idsA, idsB);
        assertArrayEquals(Files.readAllBytes(a.resolve("cloud.json")), Files.readAllBytes(b.resolve("cloud.json")));
        for (String id : idsA) {
            assertTrue(id.matches("ami-[0-9a-f]{17}") || id.matches("i-[0-9a-f]{17}") || id.matches("asg-[0-9a-f]{17}"),
                    id);
        }
        assertTrue(idsA.stream().anyMatch(id -> id.startsWith("ami-")));
        assertTrue(idsA.stream().anyMatch(id -> id.startsWith("i-")));
        assertEquals(idsA.size(), new HashSet<>(idsA).size(), "ids are unique");

        List<String> otherSeed = scenario(new SimProvider(dir.resolve("c"), 8));
        assertNotEquals(idsA, otherSeed);
    }

    @Test
    void cloudJsonIsPrettyPrintedWithNoTemporaryFilesLeft() throws Exception {
        scenario(new SimProvider(dir, 0));
        String text = Files.readString(dir.resolve("cloud.json"));
        assertTrue(text.startsWith("{\n  \"format\" : \"imm-sim-cloud-v1\",\n  \"clock\" : "), text.substring(0, 80));
        assertTrue(text.endsWith("}\n"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("cloud.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void changesAreSavedAtTheLatestWhenTheProviderIsClosed() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 2), ProgressListener.NONE);
        provider.close();
        assertEquals(1, new SimProvider(dir, 0).read(STACK).fleets().size());
    }

    @Test
    void aNewProviderOnTheSameDirectorySeesTheSameCloud() throws Exception {
        SimProvider first = new SimProvider(dir, 0);
        scenario(first);
        LiveState before = first.read(STACK);
        SimProvider second = new SimProvider(dir, 0);
        LiveState after = second.read(STACK);
        assertEquals(before, after);
        assertEquals(before.fingerprint(), after.fingerprint());
        assertEquals(1, after.fleets().size());
        // the counters were persisted too: the next image is a new id, not one handed out before
        BakeResult next = second.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE);
        assertTrue(before.images().stream().noneMatch(i -> i.imageId().equals(next.imageId())));
        // and the clock: the bake starts where the first provider stopped
        long lastCreated = before.images().stream().mapToLong(LiveImage::createdAtMillis).max().orElseThrow();
        LiveImage baked = second.read(STACK).images().stream().filter(i -> i.imageId().equals(next.imageId()))
                .findFirst().orElseThrow();
        assertTrue(baked.createdAtMillis() > lastCreated);
    }

    @Test
    void aDamagedCloudFileIsReportedByEveryCall() throws Exception {
        Files.writeString(dir.resolve("cloud.json"), "{ not json");
        SimProvider provider = new SimProvider(dir, 0);
        ProviderException e = assertThrows(ProviderException.class, () -> provider.read(STACK));
        assertTrue(e.getMessage().contains("cloud.json"), e.getMessage());
        assertEquals(Optional.of(AL2023_NEWEST), provider.sources().resolve(filter("al2023-ami-2023.*-x86_64", "amazon")));
    }

    /** A little apply: bake, create, bake again, roll, update, retire; returns every id seen in order. */
    private static List<String> scenario(SimProvider provider) throws ProviderException {
        List<String> ids = new ArrayList<>();
        BakeResult first = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of(shell("dnf -y update"))), ProgressListener.NONE);
        ids.add(first.imageId());
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(first.imageId()), 3), ProgressListener.NONE);
        ids.add(fleet.fleetId());
        fleet.instances().forEach(i -> ids.add(i.instanceId()));
        BakeResult second = provider.bake(bake(HASH_2, AL2023_NEWEST, List.of(shell("echo v2"))), ProgressListener.NONE);
        ids.add(second.imageId());
        provider.roll(new RollRequest(fleet.fleetId(), launch(second.imageId()), policy(50, 150, false)),
                ProgressListener.NONE);
        LiveFleet updated = provider.updateFleet(fleet.fleetId(), fleet(WEB, launch(second.imageId()), 4));
        updated.instances().forEach(i -> ids.add(i.instanceId()));
        provider.retireImage(first.imageId());
        provider.close(); // as the engine does at the end of a command: what is left is saved
        return ids;
    }

    // --- the catalog ---

    @Test
    void nameFiltersResolveToTheNewestImageOfTheOwners() {
        SimCatalog catalog = SimCatalog.standard();
        // newest al2023 of Amazon: not the minimal variant, not a newer copy published by someone else
        assertEquals(Optional.of(AL2023_NEWEST), catalog.resolve(filter("al2023-ami-2023.*-x86_64", "137112412989")));
        assertEquals(Optional.of("ami-0f1c7e3a9b5d28c46"), catalog.resolve(filter("al2023-ami-2023.*-arm64", "137112412989")));
        assertEquals(Optional.of("ami-0d4a8f2c6e1b93a57"),
                catalog.resolve(filter("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*", "099720109477")));
        assertEquals(Optional.of("ami-06f2a9d4c8b3e1f75"),
                catalog.resolve(filter("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", "099720109477")));
        assertEquals(Optional.of("ami-0c9f5b1e4d7a28e63"), catalog.resolve(filter("debian-12-amd64-*", "136693071363")));
        // a filter narrowed to an older version finds that one
        assertEquals(Optional.of("ami-0c2a5f1e7d3b49a61"),
                catalog.resolve(filter("al2023-ami-2023.6.2024*-x86_64", "137112412989")));
        // without owners, the community copy is newest
        assertEquals(Optional.of("ami-09d3e6b2a8c1f4705"),
                catalog.resolve(new SourceSpec.ByFilter("al2023-ami-2023.*-x86_64", List.of())));
    }

    @Test
    void ownerAliasesStandForThePublishersAccounts() {
        SimCatalog catalog = SimCatalog.standard();
        assertEquals(Optional.of(AL2023_NEWEST), catalog.resolve(filter("al2023-ami-2023.*-x86_64", "amazon")));
        assertEquals(Optional.of("ami-06f2a9d4c8b3e1f75"),
                catalog.resolve(filter("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", "canonical")));
        assertEquals(Optional.of("ami-0c9f5b1e4d7a28e63"), catalog.resolve(filter("debian-12-amd64-*", "debian")));
        assertEquals(Optional.empty(), catalog.resolve(filter("debian-12-amd64-*", "canonical")));
    }

    @Test
    void unknownFiltersAndParametersResolveToNothing() {
        SimCatalog catalog = SimCatalog.standard();
        assertEquals(Optional.empty(), catalog.resolve(filter("windows-server-2022-*", "amazon")));
        assertEquals(Optional.empty(), catalog.resolve(filter("al2023-ami-2023", "amazon")), "no glob, no exact name");
        assertEquals(Optional.empty(), catalog.resolve(new SourceSpec.BySsmParameter("/aws/service/unknown")));
        assertEquals(Optional.empty(), catalog.resolve(new SourceSpec.Layered(APP)));
        assertEquals(Optional.empty(), catalog.resolve(new SourceSpec.ById("image-1234")));
    }

    @Test
    void publicParametersAndIdsResolve() {
        SimCatalog catalog = SimCatalog.standard();
        assertEquals(Optional.of(AL2023_NEWEST), catalog.resolve(new SourceSpec.BySsmParameter(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")));
        assertEquals(Optional.of("ami-06f2a9d4c8b3e1f75"), catalog.resolve(new SourceSpec.BySsmParameter(
                "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id")));
        assertEquals(Optional.of("ami-0c9f5b1e4d7a28e63"),
                catalog.resolve(new SourceSpec.BySsmParameter("/aws/service/debian/release/12/latest/amd64")));
        assertEquals(Optional.of("ami-0123456789abcdef0"), catalog.resolve(new SourceSpec.ById("ami-0123456789abcdef0")));
        SimProvider provider = new SimProvider(dir, 0);
        assertEquals(Optional.of("ami-0123456789abcdef0"),
                provider.sources().resolve(new SourceSpec.ById("ami-0123456789abcdef0")));
    }

    // --- baking ---

    @Test
    void aBakeTakesVirtualTimePerStepAndSaysSoAfterStarting() throws Exception {
        Files.createDirectories(dir.resolve("stack/scripts"));
        Files.writeString(dir.resolve("stack/scripts/app.sh"), "#!/bin/sh\n");
        Files.writeString(dir.resolve("stack/app.conf"), "port=80\n");
        List<ProvisionStep> steps = List.of(
                shell("dnf -y update", "dnf -y install nginx", "systemctl enable nginx"),
                new ProvisionStep.Shell(null, "scripts/app.sh", "a".repeat(64), new TreeMap<>(), null),
                new ProvisionStep.FileUpload("app.conf", "b".repeat(64), "/etc/app.conf", null));
        Recorder recorder = new Recorder();
        SimProvider provider = new SimProvider(dir.resolve("sim"), 0);
        BakeRequest request = new BakeRequest(STACK, APP, HASH_1, AL2023_NEWEST, "t3.small", 3_600_000, steps,
                dir.resolve("stack"), new TreeMap<>(java.util.Map.of("team", "web")));
        BakeResult result = provider.bake(request, recorder);

        long expected = 180_000 + 3 * 20_000 + 60_000 + 5_000 + 240_000;
        assertEquals(expected, result.durationMillis());
        assertTrue(result.imageId().matches("ami-[0-9a-f]{17}"), result.imageId());
        assertTrue(recorder.log.get(0).startsWith("started image.app bake i-"), recorder.log.toString());
        assertTrue(recorder.log.size() > 4);
        assertEquals(START, recorder.times.get(0));
        assertEquals(START + expected, recorder.times.get(recorder.times.size() - 1));
        for (int k = 1; k < recorder.times.size(); k++) {
            assertTrue(recorder.times.get(k - 1) <= recorder.times.get(k), "events in time order");
        }

        LiveImage image = provider.read(STACK).images().get(0);
        assertEquals(result.imageId(), image.imageId());
        assertEquals(APP, image.address());
        assertEquals(HASH_1, image.bakeHash());
        assertEquals(AL2023_NEWEST, image.sourceImageId());
        assertEquals(START + expected, image.createdAtMillis());
        assertEquals("web", image.tags().get("team"));
        assertEquals(STACK, image.tags().get("imm:stack"));
        assertEquals("image.app", image.tags().get("imm:image"));
        assertEquals(HASH_1, image.tags().get("imm:bake-hash"));
        assertEquals(List.of(), provider.read("other").images());
    }

    @Test
    void aBakeLongerThanItsTimeoutFails() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        BakeRequest request = new BakeRequest(STACK, APP, HASH_1, AL2023_NEWEST, "t3.small", 300_000,
                List.of(shell("make")), null, new TreeMap<>());
        ProviderException e = assertThrows(ProviderException.class, () -> provider.bake(request, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("timed out after 5m"), e.getMessage());
        assertFalse(e.retryable());
        assertEquals(List.of(), provider.read(STACK).images());
    }

    @Test
    void aBakeWhoseFileIsMissingFails() throws Exception {
        SimProvider provider = new SimProvider(dir.resolve("sim"), 0);
        BakeRequest request = new BakeRequest(STACK, APP, HASH_1, AL2023_NEWEST, "t3.small", 3_600_000,
                List.of(new ProvisionStep.FileUpload("missing.conf", "b".repeat(64), "/etc/x", null)), dir,
                new TreeMap<>());
        ProviderException e = assertThrows(ProviderException.class, () -> provider.bake(request, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
    }

    @Test
    void aBakeFromADeregisteredImageFails() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        String old = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        provider.retireImage(old);
        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.bake(bake(HASH_2, old, List.of()), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("deregistered"), e.getMessage());
    }

    // --- fleets ---

    @Test
    void aCreatedFleetHasItsDesiredInstancesHealthy() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        String image = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        Recorder recorder = new Recorder();
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(image), 4), recorder);

        assertEquals(4, fleet.instances().size());
        assertTrue(fleet.instances().stream().allMatch(LiveInstance::healthy));
        assertTrue(fleet.instances().stream().allMatch(i -> i.imageId().equals(image)));
        assertTrue(fleet.instances().stream().allMatch(i -> i.instanceId().matches("i-[0-9a-f]{17}")));
        List<String> ids = fleet.instances().stream().map(LiveInstance::instanceId).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "instances sorted by id");
        assertEquals(0, fleet.instancesOffImage());
        assertEquals(WEB, fleet.address());
        assertTrue(recorder.log.get(0).startsWith("started fleet.web create-fleet " + fleet.fleetId()));
        long created = recorder.times.get(0);
        assertEquals(created + 60_000 + GRACE, recorder.times.get(recorder.times.size() - 1));
        assertEquals(List.of(fleet), provider.read(STACK).fleets());
    }

    @Test
    void creatingAFleetTwiceOrFromAnUnknownImageFails() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 1), ProgressListener.NONE);
        ProviderException twice = assertThrows(ProviderException.class,
                () -> provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 1), ProgressListener.NONE));
        assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
        ProviderException unknown = assertThrows(ProviderException.class, () -> provider.createFleet(
                fleet(Address.of("fleet", "api"), launch("ami-00000000000000000"), 1), ProgressListener.NONE));
        assertTrue(unknown.getMessage().contains("ami-00000000000000000"), unknown.getMessage());
        assertEquals(1, provider.read(STACK).fleets().size());
    }

    @Test
    void anUpdateChangesSizesTagsAndTargetGroupsInPlace() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 3), ProgressListener.NONE);
        Set<String> original = ids(fleet);

        SortedMap<String, String> tags = new TreeMap<>(java.util.Map.of("team", "payments"));
        FleetRequest changed = new FleetRequest(STACK, WEB, launch(AL2023_NEWEST), 1, 10, 3, List.of("tg-web"), tags,
                new FleetSpec.HealthCheck("elb", 60_000));
        LiveFleet updated = provider.updateFleet(fleet.fleetId(), changed);
        assertEquals(original, ids(updated));
        assertEquals(List.of("tg-web"), updated.targetGroups());
        assertEquals("payments", updated.tags().get("team"));
        assertEquals(10, updated.max());

        LiveFleet scaledOut = provider.updateFleet(fleet.fleetId(), fleet(WEB, launch(AL2023_NEWEST), 5));
        assertEquals(5, scaledOut.instances().size());
        assertTrue(ids(scaledOut).containsAll(original));
        assertTrue(scaledOut.instances().stream().allMatch(LiveInstance::healthy));

        LiveFleet scaledIn = provider.updateFleet(fleet.fleetId(), fleet(WEB, launch(AL2023_NEWEST), 3));
        assertEquals(original, ids(scaledIn), "the newest instances go first");
        assertEquals(scaledIn, provider.read(STACK).fleets().get(0));
    }

    @Test
    void unknownFleetsAreReported() {
        SimProvider provider = new SimProvider(dir, 0);
        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.updateFleet("asg-0000", fleet(WEB, launch(AL2023_NEWEST), 1)));
        assertTrue(e.getMessage().contains("asg-0000"), e.getMessage());
        assertThrows(ProviderException.class, () -> provider.roll(
                new RollRequest("asg-0000", launch(AL2023_NEWEST), policy(90, 100, false)), ProgressListener.NONE));
        assertThrows(ProviderException.class, () -> provider.destroyFleet("asg-0000", ProgressListener.NONE));
    }

    @Test
    void aFleetWithBadSizesIsRefused() {
        SimProvider provider = new SimProvider(dir, 0);
        FleetRequest bad = new FleetRequest(STACK, WEB, launch(AL2023_NEWEST), 3, 2, 5, List.of(), new TreeMap<>(),
                FleetSpec.HealthCheck.DEFAULT);
        assertThrows(ProviderException.class, () -> provider.createFleet(bad, ProgressListener.NONE));
    }

    // --- rolling ---

    @Test
    void aRollAt90To100PercentKeepsNineOfTenHealthyAndEndsOnTheNewImage() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        String v1 = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        String v2 = provider.bake(bake(HASH_2, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(v1), 10), ProgressListener.NONE);
        Recorder recorder = new Recorder();
        RollResult result = provider.roll(new RollRequest(fleet.fleetId(), launch(v2), policy(90, 100, false)), recorder);

        assertEquals(RollResult.Outcome.SUCCEEDED, result.outcome());
        assertEquals(10, result.replaced());
        assertTrue(result.lowestHealthy().compareTo(BigDecimal.valueOf(90)) >= 0, result.toString());
        assertEquals(0, result.lowestHealthy().compareTo(BigDecimal.valueOf(90)), result.toString());
        assertTrue(result.highestHealthy().compareTo(BigDecimal.valueOf(100)) <= 0, result.toString());
        assertEquals(10 * (60_000 + WARMUP), result.durationMillis(), "ten batches of one");
        assertTrue(recorder.log.get(0).startsWith("started fleet.web roll "), recorder.log.get(0));

        LiveFleet after = provider.read(STACK).fleets().get(0);
        assertEquals(v2, after.launch().imageId());
        assertEquals(10, after.instances().size());
        assertTrue(after.instances().stream().allMatch(i -> i.imageId().equals(v2) && i.healthy()));
        Set<String> kept = ids(after);
        kept.retainAll(ids(fleet));
        assertEquals(Set.of(), kept, "every instance was replaced");
    }

    @Test
    void aRollWithMoreRoomIsFaster() throws Exception {
        SimProvider narrow = new SimProvider(dir.resolve("narrow"), 0);
        SimProvider wide = new SimProvider(dir.resolve("wide"), 0);
        RollResult slow = rollTen(narrow, policy(90, 100, false));
        RollResult fast = rollTen(wide, policy(50, 150, false));
        assertTrue(fast.durationMillis() < slow.durationMillis(), fast + " vs " + slow);
        assertEquals(60_000 + WARMUP, fast.durationMillis(), "one batch of ten");
        assertEquals(0, fast.lowestHealthy().compareTo(BigDecimal.valueOf(50)), fast.toString());
        assertEquals(0, fast.highestHealthy().compareTo(BigDecimal.valueOf(150)), fast.toString());
        assertEquals(10, fast.replaced());
    }

    @Test
    void rollsStayWithinTheirHealthyBoundsForManySizes() throws Exception {
        int scenario = 0;
        for (int desired = 1; desired <= 12; desired++) {
            for (int min : new int[] {0, 50, 75, 90, 100}) {
                for (int max : new int[] {100, 110, 150, 200}) {
                    if (RolloutSizing.of(policy(min, max, false), desired).forced()) {
                        continue; // no room for a batch: the refresh dips below min_healthy, tested below
                    }
                    SimProvider provider = new SimProvider(dir.resolve("s" + scenario++), desired);
                    RollResult result = rollFleet(provider, desired, policy(min, max, false));
                    String what = desired + " instances " + min + "%/" + max + "%: " + result;
                    assertTrue(result.lowestHealthy().compareTo(BigDecimal.valueOf(min)) >= 0, what);
                    int maxRunning = RolloutSizing.of(policy(min, max, false), desired).maxRunning();
                    assertTrue(result.highestHealthy().compareTo(RolloutSizing.capacity(maxRunning, desired)) <= 0, what);
                    assertEquals(desired, result.replaced(), what);
                    LiveFleet after = provider.read(STACK).fleets().get(0);
                    assertEquals(0, after.instancesOffImage(), what);
                    assertEquals(desired, after.instances().size(), what);
                }
            }
        }
        assertTrue(scenario > 100, "scenarios run: " + scenario);
    }

    @Test
    void batchSizesFollowInstanceRefresh() {
        assertEquals(1, RolloutSizing.of(policy(90, 100, false), 10).batch());
        assertEquals(10, RolloutSizing.of(policy(50, 150, false), 10).batch());
        assertEquals(2, RolloutSizing.of(policy(90, 110, false), 10).batch());
        assertEquals(1, RolloutSizing.of(policy(100, 100, false), 10).batch());
        assertTrue(RolloutSizing.of(policy(100, 100, false), 10).forced());
        assertEquals(10, RolloutSizing.of(policy(0, 200, false), 10).batch());
        assertEquals(9, RolloutSizing.of(policy(90, 100, false), 10).minHealthy());
        assertEquals(3, RolloutSizing.of(policy(75, 100, false), 3).minHealthy());
        assertEquals(4, RolloutSizing.of(policy(90, 110, false), 3).maxRunning(), "above 100% allows one extra at least");
        assertEquals(3, RolloutSizing.of(policy(90, 100, false), 3).maxRunning());
    }

    @Test
    void skipMatchingKeepsInstancesAlreadyOnTheLaunchConfiguration() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 4), ProgressListener.NONE);
        RollResult skipped = provider.roll(new RollRequest(fleet.fleetId(), launch(AL2023_NEWEST), policy(90, 100, true)),
                ProgressListener.NONE);
        assertEquals(0, skipped.replaced());
        assertEquals(0, skipped.durationMillis());
        assertEquals(ids(fleet), ids(provider.read(STACK).fleets().get(0)));

        RollResult all = provider.roll(new RollRequest(fleet.fleetId(), launch(AL2023_NEWEST), policy(90, 100, false)),
                ProgressListener.NONE);
        assertEquals(4, all.replaced());
        Set<String> kept = ids(provider.read(STACK).fleets().get(0));
        kept.retainAll(ids(fleet));
        assertEquals(Set.of(), kept);
    }

    // --- retiring and destroying ---

    @Test
    void anImageInUseCannotBeRetired() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        String v1 = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        String v2 = provider.bake(bake(HASH_2, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(v1), 2), ProgressListener.NONE);
        ProviderException e = assertThrows(ProviderException.class, () -> provider.retireImage(v1));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("in use by fleet fleet.web"), e.getMessage());
        assertEquals(2, provider.read(STACK).images().size());

        provider.roll(new RollRequest(fleet.fleetId(), launch(v2), policy(50, 100, false)), ProgressListener.NONE);
        provider.retireImage(v1);
        assertEquals(List.of(v2), provider.read(STACK).images().stream().map(LiveImage::imageId).toList());
        provider.close();
        assertEquals(List.of(v2), new SimProvider(dir, 0).read(STACK).images().stream().map(LiveImage::imageId).toList());
        assertThrows(ProviderException.class, () -> provider.retireImage("ami-00000000000000000"));
        assertThrows(ProviderException.class, () -> provider.createFleet(
                fleet(Address.of("fleet", "api"), launch(v1), 1), ProgressListener.NONE));
    }

    @Test
    void aDestroyedFleetIsGone() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        LiveFleet web = provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 2), ProgressListener.NONE);
        provider.createFleet(fleet(Address.of("fleet", "api"), launch(AL2023_NEWEST), 1), ProgressListener.NONE);
        Recorder recorder = new Recorder();
        provider.destroyFleet(web.fleetId(), recorder);
        assertEquals("started fleet.web destroy-fleet " + web.fleetId(), recorder.log.get(0));
        assertEquals(List.of(Address.of("fleet", "api")),
                provider.read(STACK).fleets().stream().map(LiveFleet::address).toList());
        provider.close();
        assertEquals(1, new SimProvider(dir, 0).read(STACK).fleets().size());
        assertThrows(ProviderException.class, () -> provider.destroyFleet(web.fleetId(), ProgressListener.NONE));
        // its address is free again
        provider.createFleet(fleet(WEB, launch(AL2023_NEWEST), 1), ProgressListener.NONE);
    }

    @Test
    void readListsOnlyTheStacksResourcesSortedByAddress() throws Exception {
        SimProvider provider = new SimProvider(dir, 0);
        provider.createFleet(fleet(Address.of("fleet", "web"), launch(AL2023_NEWEST), 1), ProgressListener.NONE);
        provider.createFleet(fleet(Address.of("fleet", "api"), launch(AL2023_NEWEST), 1), ProgressListener.NONE);
        provider.createFleet(fleet(Address.of("fleet", "worker").withKey("eu"), launch(AL2023_NEWEST), 1),
                ProgressListener.NONE);
        FleetRequest elsewhere = new FleetRequest("other", WEB, launch(AL2023_NEWEST), 1, 2, 1, List.of(),
                new TreeMap<>(), FleetSpec.HealthCheck.DEFAULT);
        provider.createFleet(elsewhere, ProgressListener.NONE);
        assertEquals(List.of(Address.of("fleet", "api"), Address.of("fleet", "web"), Address.of("fleet", "worker").withKey("eu")),
                provider.read(STACK).fleets().stream().map(LiveFleet::address).toList());
        assertEquals(1, provider.read("other").fleets().size());
    }

    // --- helpers ---

    private RollResult rollTen(SimProvider provider, RolloutPolicy policy) throws ProviderException {
        return rollFleet(provider, 10, policy);
    }

    private static RollResult rollFleet(SimProvider provider, int desired, RolloutPolicy policy) throws ProviderException {
        String v1 = provider.bake(bake(HASH_1, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        String v2 = provider.bake(bake(HASH_2, AL2023_NEWEST, List.of()), ProgressListener.NONE).imageId();
        LiveFleet fleet = provider.createFleet(fleet(WEB, launch(v1), desired), ProgressListener.NONE);
        return provider.roll(new RollRequest(fleet.fleetId(), launch(v2), policy), ProgressListener.NONE);
    }

    private static Set<String> ids(LiveFleet fleet) {
        return fleet.instances().stream().map(LiveInstance::instanceId).collect(Collectors.toCollection(HashSet::new));
    }

    private static SourceSpec.ByFilter filter(String name, String owner) {
        return new SourceSpec.ByFilter(name, List.of(owner));
    }

    private static ProvisionStep shell(String... lines) {
        return new ProvisionStep.Shell(List.of(lines), null, null, new TreeMap<>(), null);
    }

    private static BakeRequest bake(String hash, String source, List<ProvisionStep> steps) {
        return new BakeRequest(STACK, APP, hash, source, "t3.small", 3_600_000, steps, null, new TreeMap<>());
    }

    private static LaunchConfiguration launch(String image) {
        return new LaunchConfiguration(image, "t3.small", "c".repeat(64), List.of("subnet-a", "subnet-b"),
                List.of("sg-web"), null);
    }

    private static FleetRequest fleet(Address address, LaunchConfiguration launch, int desired) {
        return new FleetRequest(STACK, address, launch, 1, Math.max(2, desired * 2), desired, List.of(), new TreeMap<>(),
                new FleetSpec.HealthCheck("ec2", GRACE));
    }

    private static RolloutPolicy policy(int minHealthy, int maxHealthy, boolean skipMatching) {
        return new RolloutPolicy(Address.of("rollout", "default"), RolloutPolicy.Strategy.ROLLING,
                BigDecimal.valueOf(minHealthy), BigDecimal.valueOf(maxHealthy), WARMUP, RolloutPolicy.OnFailure.ROLLBACK,
                List.of(), 0, List.of(), 0, 0, 0, RolloutPolicy.DEFAULT_STEP_TIMEOUT_MILLIS, skipMatching, null);
    }

    /** Records the listener's calls in order: "started ADDRESS KIND ID" and "event ADDRESS MESSAGE". */
    private static final class Recorder implements ProgressListener {
        final List<String> log = new ArrayList<>();
        final List<Long> times = new ArrayList<>();

        @Override
        public void started(Address address, OperationHandle handle) {
            log.add("started " + address + " " + handle.kind() + " " + handle.id());
        }

        @Override
        public void event(Address address, long atMillis, String message) {
            log.add("event " + address + " " + message);
            times.add(atMillis);
        }
    }
}
