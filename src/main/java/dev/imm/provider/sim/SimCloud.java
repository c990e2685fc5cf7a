package dev.imm.provider.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.model.BakeInputs;
import dev.imm.model.LaunchConfiguration;
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
        return root;
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
        JsonNode template = required(node, "launch_template");
        for (JsonNode version : template.path("versions")) {
            fleet.launchVersions.add(new LaunchConfiguration(text(version.path("image_id")),
                    text(version.path("instance_type")), text(version.path("user_data_sha256")),
                    strings(version.path("subnets")), strings(version.path("security_groups")),
                    text(version.path("iam_profile"))));
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
