package dev.imm.provider.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.model.BakeInputs;
import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.RollResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the simulated cloud holds, as one document: the virtual clock, the id counters, the images
 * baked in it (deregistered ones stay, marked so) and the fleets with their launch template versions and
 * instances. It is read from and written to {@code cloud.json} with a fixed key order, so that the same
 * history gives the same bytes. Ids are the first 17 hex digits of
 * {@code sha256(seed + ":" + kind + ":" + n)}, where {@code n} counts the ids of that kind; the seed is not
 * part of the document.
 */
final class SimCloud {
    static final String FILE_NAME = "cloud.json";
    static final String FORMAT = "imm-sim-cloud-v1";
    /** The virtual clock of a new cloud: 2026-01-01T00:00:00Z. */
    static final long EPOCH = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static final ObjectMapper JSON = new ObjectMapper();

    final long seed;
    long clock = EPOCH;
    final SortedMap<String, Long> counters = new TreeMap<>();
    final SortedMap<String, Image> images = new TreeMap<>();
    final SortedMap<String, Fleet> fleets = new TreeMap<>();
    /** Instance refreshes by id: the one under way or last ended of each fleet. */
    final SortedMap<String, Refresh> refreshes = new TreeMap<>();
    /** Bakes under way by builder id; a bake that ended is gone (its image, or nothing, is what is left). */
    final SortedMap<String, Bake> bakes = new TreeMap<>();

    /**
     * A bake under way, kept in the cloud so that it outlives the imm process that started it, as a
     * builder instance does: what it bakes, and its course worked out when it started ({@code events},
     * each at a virtual time after {@code startedAt}), of which the first {@code next} have happened. It
     * ends with the image {@code imageId}, or with {@code failure}.
     */
    static final class Bake {
        /** The builder instance. */
        String id;
        String stack;
        String image;
        String bakeHash;
        String sourceImageId;
        long startedAt;
        List<Long> offsets = new ArrayList<>();
        List<String> events = new ArrayList<>();
        int next;
        /** Null when the bake will fail with {@link #failure}. */
        String imageId;
        String imageName;
        String failure;
        SortedMap<String, String> tags = new TreeMap<>();
    }

    /** An image baked in this cloud; {@code deregisteredAt} is null while it is available. */
    static final class Image {
        String id;
        String name;
        String sourceImageId;
        long createdAt;
        Long deregisteredAt;
        SortedMap<String, String> tags = new TreeMap<>();

        boolean available() {
            return deregisteredAt == null;
        }
    }

    /**
     * An Auto Scaling group. Its launch configurations are numbered versions, as EC2 launch template
     * versions are: {@code launchVersions.get(v - 1)} is version {@code v}, and each instance records the
     * version it was launched with.
     */
    static final class Fleet {
        String id;
        long createdAt;
        int min;
        int max;
        int desired;
        String healthType;
        long healthGraceMillis;
        List<String> targetGroups = new ArrayList<>();
        SortedMap<String, String> tags = new TreeMap<>();
        List<LaunchConfiguration> launchVersions = new ArrayList<>();
        int launchVersion;
        SortedMap<String, Instance> instances = new TreeMap<>();
        /** Out of traffic: the new group of a blue/green rollout before the switch, the old one after it. */
        boolean standby;
        /** Created, and its first instances not yet launched and healthy: the creation is under way. */
        boolean creating;
        /**
         * The refresh that concerns this group last (under way or ended), so that finding a group's refresh
         * does not scan every refresh; not saved, {@link #read} sets it again.
         */
        Refresh refresh;

        LaunchConfiguration launch() {
            return launchVersions.get(launchVersion - 1);
        }

        LaunchConfiguration launch(int version) {
            return launchVersions.get(version - 1);
        }

        /** Makes {@code launch} the current version, adding a version unless it is the current one already. */
        void use(LaunchConfiguration launch) {
            if (launchVersion > 0 && launch().equals(launch)) {
                return;
            }
            launchVersions.add(launch);
            launchVersion = launchVersions.size();
        }

        int healthyCount() {
            return (int) instances.values().stream().filter(i -> i.healthy).count();
        }
    }

    /**
     * An instance refresh (a rollout), kept in the cloud so that it outlives the imm process that started
     * it: the policy and target it runs under, where it is ({@code phase} and the counters), what it has
     * seen (alarms fired, failures gone on from, the healthy capacity bounds), and, once it ended, how
     * ({@code outcome}). {@link Rollout} moves it from one checkpoint to the next.
     */
    static final class Refresh {
        String id;
        /** The group refreshed: the old (blue) group of a blue/green rollout. */
        String fleetId;
        RolloutPolicy policy;
        LaunchConfiguration target;
        int desired;
        int fromVersion;
        int toVersion;
        long startedAt;
        String phase;
        /** Old instances still to replace, in the order they go (rolling and canary). */
        List<String> pending = new ArrayList<>();
        int total;
        int replaced;
        int step;
        /** The new group of a blue/green rollout. */
        String greenId;
        /** When the new group of a blue/green rollout passed verify; null until it did. */
        Long verifiedAt;
        List<String> firedAlarms = new ArrayList<>();
        List<String> wentOnDespite = new ArrayList<>();
        int lowest;
        int highest;
        String allowance;
        boolean continuing;
        /** The failure being handled, or why a rollback was asked for. */
        String failure;
        /** Rolls back on failure whatever the policy's on_failure says: imm asked for it. */
        boolean rollbackRequested;
        /** Null while the refresh is under way. */
        RollResult.Outcome outcome;
        String resultFleetId;
        String reason;
        Long endedAt;

        boolean inProgress() {
            return outcome == null;
        }

        /** The groups it concerns: the refreshed one, and the new one of a blue/green rollout. */
        boolean concerns(String groupId) {
            return groupId.equals(fleetId) || groupId.equals(greenId) || groupId.equals(resultFleetId);
        }
    }

    /** The refreshes under way by the groups they concern (both groups of a blue/green rollout). */
    Map<String, Refresh> activeRefreshesByGroup() {
        Map<String, Refresh> active = new java.util.HashMap<>();
        for (Refresh r : refreshes.values()) {
            if (r.inProgress()) {
                active.put(r.fleetId, r);
                if (r.greenId != null) {
                    active.put(r.greenId, r);
                }
            }
        }
        return active;
    }

    /** The refresh under way on a group (either group of a blue/green rollout), or null. */
    Refresh activeRefresh(String groupId) {
        Fleet fleet = fleets.get(groupId);
        Refresh r = fleet == null ? null : fleet.refresh;
        return r != null && r.inProgress() && r.concerns(groupId) && refreshes.get(r.id) == r ? r : null;
    }

    /** One instance; {@code sequence} is the counter its id was made from, so it orders launches. */
    static final class Instance {
        String id;
        long sequence;
        String imageId;
        int launchVersion;
        long launchedAt;
        boolean healthy;
    }

    SimCloud(long seed) {
        this.seed = seed;
    }

    /** A new id of {@code kind} ({@code ami}, {@code i}, …): the prefix and 17 hex digits. */
    String newId(String kind) {
        long n = nextNumber(kind);
        return kind + "-" + hex(kind, n, 17);
    }

    /** The next number of a counter, starting at 1. */
    long nextNumber(String kind) {
        long n = counters.getOrDefault(kind, 0L) + 1;
        counters.put(kind, n);
        return n;
    }

    String hex(String kind, long n, int digits) {
        return BakeInputs.sha256(seed + ":" + kind + ":" + n).substring(0, digits);
    }

    /** Launches an instance of the fleet's launch version {@code version} at {@code at}, not yet healthy. */
    Instance launch(Fleet fleet, int version, long at) {
        Instance instance = new Instance();
        instance.sequence = nextNumber("i");
        instance.id = "i-" + hex("i", instance.sequence, 17);
        instance.imageId = fleet.launch(version).imageId();
        instance.launchVersion = version;
        instance.launchedAt = at;
        instance.healthy = false;
        fleet.instances.put(instance.id, instance);
        return instance;
    }

    // --- reading and writing cloud.json ---

    static SimCloud load(Path directory, long seed) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        SimCloud cloud = new SimCloud(seed);
        if (!Files.exists(file)) {
            return cloud;
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + " is not a simulated cloud (expected \"format\": \"" + FORMAT + "\")");
        }
        try {
            cloud.read(root);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
        return cloud;
    }

    /** A deep copy, for a rehearsal that must not touch this cloud. */
    SimCloud copy() {
        SimCloud copy = new SimCloud(seed);
        copy.read(toJson());
        return copy;
    }

    private void read(JsonNode root) {
        clock = required(root, "clock").asLong();
        for (Map.Entry<String, JsonNode> e : root.path("counters").properties()) {
            counters.put(e.getKey(), e.getValue().asLong());
        }
        for (JsonNode node : root.path("images")) {
            Image image = readImage(node);
            images.put(image.id, image);
        }
        for (JsonNode node : root.path("fleets")) {
            Fleet fleet = readFleet(node);
            fleets.put(fleet.id, fleet);
        }
        for (JsonNode node : root.path("bakes")) {
            Bake bake = readBake(node);
            bakes.put(bake.id, bake);
        }
        for (JsonNode node : root.path("refreshes")) {
            Refresh refresh = readRefresh(node);
            refreshes.put(refresh.id, refresh);
            for (String group : new String[] {refresh.fleetId, refresh.greenId, refresh.resultFleetId}) {
                if (group != null && fleets.containsKey(group)) {
                    fleets.get(group).refresh = refresh;
                }
            }
        }
    }

    /** Writes the document to a temporary file beside {@code cloud.json}, then moves it into place. */
    void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        byte[] bytes = (JSON.writer(printer).writeValueAsString(toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        Path target = directory.resolve(FILE_NAME);
        Path temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("clock", clock);
        root.put("clock_utc", Instant.ofEpochMilli(clock).toString());
        ObjectNode counterNode = root.putObject("counters");
        counters.forEach(counterNode::put);
        ArrayNode imageNodes = root.putArray("images");
        for (Image image : images.values()) {
            ObjectNode node = imageNodes.addObject();
            node.put("id", image.id);
            node.put("name", image.name);
            node.put("source_image_id", image.sourceImageId);
            node.put("created_at", image.createdAt);
            node.put("state", image.available() ? "available" : "deregistered");
            if (image.deregisteredAt != null) {
                node.put("deregistered_at", image.deregisteredAt);
            }
            putTags(node, image.tags);
        }
        ArrayNode fleetNodes = root.putArray("fleets");
        for (Fleet fleet : fleets.values()) {
            ObjectNode node = fleetNodes.addObject();
            node.put("id", fleet.id);
            node.put("created_at", fleet.createdAt);
            node.put("min", fleet.min);
            node.put("desired", fleet.desired);
            node.put("max", fleet.max);
            ObjectNode health = node.putObject("health_check");
            health.put("type", fleet.healthType);
            health.put("grace_ms", fleet.healthGraceMillis);
            ArrayNode groups = node.putArray("target_groups");
            fleet.targetGroups.forEach(groups::add);
            putTags(node, fleet.tags);
            if (fleet.standby) {
                node.put("standby", true);
            }
            if (fleet.creating) {
                node.put("creating", true);
            }
            ObjectNode template = node.putObject("launch_template");
            template.put("current_version", fleet.launchVersion);
            ArrayNode versions = template.putArray("versions");
            for (int v = 1; v <= fleet.launchVersions.size(); v++) {
                ObjectNode version = versions.addObject();
                version.put("version", v);
                writeLaunch(version, fleet.launch(v));
            }
            ArrayNode instances = node.putArray("instances");
            for (Instance instance : fleet.instances.values()) {
                ObjectNode i = instances.addObject();
                i.put("id", instance.id);
                i.put("sequence", instance.sequence);
                i.put("image_id", instance.imageId);
                i.put("launch_version", instance.launchVersion);
                i.put("launched_at", instance.launchedAt);
                i.put("healthy", instance.healthy);
            }
        }
        if (!bakes.isEmpty()) {
            ArrayNode bakeNodes = root.putArray("bakes");
            bakes.values().forEach(b -> writeBake(bakeNodes.addObject(), b));
        }
        if (!refreshes.isEmpty()) {
            ArrayNode refreshNodes = root.putArray("refreshes");
            refreshes.values().forEach(r -> writeRefresh(refreshNodes.addObject(), r));
        }
        return root;
    }

    private static void writeBake(ObjectNode node, Bake b) {
        node.put("builder_id", b.id);
        node.put("stack", b.stack);
        node.put("image", b.image);
        node.put("bake_hash", b.bakeHash);
        node.put("source_image_id", b.sourceImageId);
        node.put("started_at", b.startedAt);
        ArrayNode course = node.putArray("course");
        for (int i = 0; i < b.events.size(); i++) {
            ObjectNode event = course.addObject();
            event.put("after_ms", b.offsets.get(i));
            event.put("event", b.events.get(i));
        }
        node.put("next", b.next);
        if (b.imageId != null) {
            node.put("image_id", b.imageId);
            node.put("image_name", b.imageName);
        }
        if (b.failure != null) {
            node.put("failure", b.failure);
        }
        putTags(node, b.tags);
    }

    private static Bake readBake(JsonNode node) {
        Bake b = new Bake();
        b.id = text(required(node, "builder_id"));
        b.stack = text(required(node, "stack"));
        b.image = text(required(node, "image"));
        b.bakeHash = text(required(node, "bake_hash"));
        b.sourceImageId = text(node.path("source_image_id"));
        b.startedAt = required(node, "started_at").asLong();
        for (JsonNode event : node.path("course")) {
            b.offsets.add(required(event, "after_ms").asLong());
            b.events.add(text(required(event, "event")));
        }
        b.next = node.path("next").asInt();
        if (b.next < 0 || b.next > b.events.size()) {
            throw new IllegalArgumentException("bake " + b.id + " is at event " + b.next + " of " + b.events.size());
        }
        b.imageId = text(node.path("image_id"));
        b.imageName = text(node.path("image_name"));
        b.failure = text(node.path("failure"));
        if ((b.imageId == null) == (b.failure == null)) {
            throw new IllegalArgumentException("bake " + b.id + " must end with an image or a failure");
        }
        b.tags = tags(node.path("tags"));
        return b;
    }

    private static void writeRefresh(ObjectNode node, Refresh r) {
        node.put("id", r.id);
        node.put("fleet_id", r.fleetId);
        node.put("status", r.outcome == null ? "in-progress" : r.outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        node.put("phase", r.phase);
        node.put("started_at", r.startedAt);
        if (r.endedAt != null) {
            node.put("ended_at", r.endedAt);
        }
        writePolicy(node.putObject("policy"), r.policy);
        writeLaunch(node.putObject("target"), r.target);
        node.put("desired", r.desired);
        node.put("from_version", r.fromVersion);
        node.put("to_version", r.toVersion);
        ArrayNode pending = node.putArray("pending");
        r.pending.forEach(pending::add);
        node.put("total", r.total);
        node.put("replaced", r.replaced);
        node.put("step", r.step);
        if (r.greenId != null) {
            node.put("green_id", r.greenId);
        }
        if (r.verifiedAt != null) {
            node.put("verified_at", r.verifiedAt);
        }
        ArrayNode alarms = node.putArray("fired_alarms");
        r.firedAlarms.forEach(alarms::add);
        ArrayNode despite = node.putArray("went_on_despite");
        r.wentOnDespite.forEach(despite::add);
        node.put("lowest_healthy", r.lowest);
        node.put("highest_healthy", r.highest);
        if (r.allowance != null) {
            node.put("allowance", r.allowance);
        }
        node.put("continuing", r.continuing);
        if (r.failure != null) {
            node.put("failure", r.failure);
        }
        node.put("rollback_requested", r.rollbackRequested);
        if (r.resultFleetId != null) {
            node.put("result_fleet_id", r.resultFleetId);
        }
        if (r.reason != null) {
            node.put("reason", r.reason);
        }
    }

    private static Refresh readRefresh(JsonNode node) {
        Refresh r = new Refresh();
        r.id = text(required(node, "id"));
        r.fleetId = text(required(node, "fleet_id"));
        String status = text(required(node, "status"));
        r.outcome = status.equals("in-progress") ? null
                : RollResult.Outcome.valueOf(status.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        r.phase = text(required(node, "phase"));
        r.startedAt = required(node, "started_at").asLong();
        r.endedAt = node.hasNonNull("ended_at") ? node.get("ended_at").asLong() : null;
        r.policy = readPolicy(required(node, "policy"));
        r.target = readLaunch(required(node, "target"));
        r.desired = required(node, "desired").asInt();
        r.fromVersion = required(node, "from_version").asInt();
        r.toVersion = required(node, "to_version").asInt();
        r.pending = strings(node.path("pending"));
        r.total = node.path("total").asInt();
        r.replaced = node.path("replaced").asInt();
        r.step = node.path("step").asInt();
        r.greenId = text(node.path("green_id"));
        r.verifiedAt = node.hasNonNull("verified_at") ? node.get("verified_at").asLong() : null;
        r.firedAlarms = strings(node.path("fired_alarms"));
        r.wentOnDespite = strings(node.path("went_on_despite"));
        r.lowest = node.path("lowest_healthy").asInt();
        r.highest = node.path("highest_healthy").asInt();
        r.allowance = text(node.path("allowance"));
        r.continuing = node.path("continuing").asBoolean();
        r.failure = text(node.path("failure"));
        r.rollbackRequested = node.path("rollback_requested").asBoolean();
        r.resultFleetId = text(node.path("result_fleet_id"));
        r.reason = text(node.path("reason"));
        return r;
    }

    /** A refresh keeps the policy it was started with, as Auto Scaling keeps a refresh's preferences. */
    private static void writePolicy(ObjectNode node, RolloutPolicy p) {
        node.put("name", p.address().kind() + ":" + p.address());
        node.put("strategy", p.strategy().spelling());
        node.put("min_healthy", p.minHealthy().toPlainString());
        node.put("max_healthy", p.maxHealthy().toPlainString());
        node.put("warmup_ms", p.warmupMillis());
        node.put("on_failure", p.onFailure().spelling());
        ArrayNode steps = node.putArray("steps");
        p.steps().forEach(s -> steps.add(s.toPlainString()));
        node.put("pause_ms", p.pauseMillis());
        ArrayNode alarms = node.putArray("alarms");
        p.alarms().forEach(alarms::add);
        node.put("bake_time_ms", p.bakeTimeMillis());
        node.put("verify_ms", p.verifyMillis());
        node.put("drain_ms", p.drainMillis());
        node.put("step_timeout_ms", p.stepTimeoutMillis());
        node.put("skip_matching", p.skipMatching());
    }

    private static RolloutPolicy readPolicy(JsonNode node) {
        String name = text(required(node, "name"));
        int colon = name.indexOf(':');
        Address address = Address.parse(name.substring(0, colon), name.substring(colon + 1));
        List<java.math.BigDecimal> steps = new ArrayList<>();
        node.path("steps").forEach(s -> steps.add(new java.math.BigDecimal(s.asText())));
        return new RolloutPolicy(address,
                RolloutPolicy.Strategy.valueOf(text(required(node, "strategy")).toUpperCase(java.util.Locale.ROOT)),
                new java.math.BigDecimal(text(required(node, "min_healthy"))),
                new java.math.BigDecimal(text(required(node, "max_healthy"))),
                node.path("warmup_ms").asLong(),
                RolloutPolicy.OnFailure.valueOf(text(required(node, "on_failure")).toUpperCase(java.util.Locale.ROOT)),
                steps, node.path("pause_ms").asLong(), strings(node.path("alarms")), node.path("bake_time_ms").asLong(),
                node.path("verify_ms").asLong(), node.path("drain_ms").asLong(),
                node.path("step_timeout_ms").asLong(RolloutPolicy.DEFAULT_STEP_TIMEOUT_MILLIS),
                node.path("skip_matching").asBoolean(), null);
    }

    private static void putTags(ObjectNode node, SortedMap<String, String> tags) {
        ObjectNode tagNode = node.putObject("tags");
        tags.forEach(tagNode::put);
    }

    private static void writeLaunch(ObjectNode node, LaunchConfiguration launch) {
        node.put("image_id", launch.imageId());
        node.put("instance_type", launch.instanceType());
        node.put("user_data_sha256", launch.userDataSha256());
        ArrayNode subnets = node.putArray("subnets");
        launch.subnets().forEach(subnets::add);
        ArrayNode groups = node.putArray("security_groups");
        launch.securityGroups().forEach(groups::add);
        node.put("iam_profile", launch.iamProfile());
    }

    private static LaunchConfiguration readLaunch(JsonNode node) {
        return new LaunchConfiguration(text(node.path("image_id")), text(node.path("instance_type")),
                text(node.path("user_data_sha256")), strings(node.path("subnets")), strings(node.path("security_groups")),
                text(node.path("iam_profile")));
    }

    private static Image readImage(JsonNode node) {
        Image image = new Image();
        image.id = text(required(node, "id"));
        image.name = text(node.path("name"));
        image.sourceImageId = text(node.path("source_image_id"));
        image.createdAt = required(node, "created_at").asLong();
        image.deregisteredAt = node.hasNonNull("deregistered_at") ? node.get("deregistered_at").asLong() : null;
        image.tags = tags(node.path("tags"));
        return image;
    }

    private static Fleet readFleet(JsonNode node) {
        Fleet fleet = new Fleet();
        fleet.id = text(required(node, "id"));
        fleet.createdAt = node.path("created_at").asLong();
        fleet.min = required(node, "min").asInt();
        fleet.desired = required(node, "desired").asInt();
        fleet.max = required(node, "max").asInt();
        fleet.healthType = text(node.path("health_check").path("type"));
        fleet.healthGraceMillis = node.path("health_check").path("grace_ms").asLong();
        fleet.targetGroups = strings(node.path("target_groups"));
        fleet.tags = tags(node.path("tags"));
        fleet.standby = node.path("standby").asBoolean(false);
        fleet.creating = node.path("creating").asBoolean(false);
        JsonNode template = required(node, "launch_template");
        for (JsonNode version : template.path("versions")) {
            fleet.launchVersions.add(readLaunch(version));
        }
        fleet.launchVersion = required(template, "current_version").asInt();
        if (fleet.launchVersion < 1 || fleet.launchVersion > fleet.launchVersions.size()) {
            throw new IllegalArgumentException("fleet " + fleet.id + " names launch version " + fleet.launchVersion
                    + " but has " + fleet.launchVersions.size());
        }
        for (JsonNode i : node.path("instances")) {
            Instance instance = new Instance();
            instance.id = text(required(i, "id"));
            instance.sequence = i.path("sequence").asLong();
            instance.imageId = text(i.path("image_id"));
            instance.launchVersion = i.path("launch_version").asInt();
            instance.launchedAt = i.path("launched_at").asLong();
            instance.healthy = i.path("healthy").asBoolean();
            fleet.instances.put(instance.id, instance);
        }
        return fleet;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static SortedMap<String, String> tags(JsonNode object) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
