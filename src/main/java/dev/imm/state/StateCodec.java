package dev.imm.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.imm.model.Address;
import dev.imm.model.JsonText;
import dev.imm.model.LaunchConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link RecordedState} as the files of a state revision, and back. One file per resource, so that a
 * resource's history is the history of its file and a change to one resource changes one file:
 * <pre>
 * stack.json                      {"format", "serial", "lineage", "outputs"}
 * resources/image/app.json        {"address", "versions": [{"image_id", "bake_hash", "source_image_id", "baked_at"}]}
 * resources/container/api.json    the same for a container image, whose image ids are host/repo@sha256:… references
 * resources/fleet/web.json        {"address", "fleet_id", "image", "bake_hash",
 *                                  "launch": {"image_id", "instance_type", "user_data_sha256", "subnets",
 *                                             "security_groups", "iam_profile"},
 *                                  "min", "max", "desired", "target_groups", "tags", "rollout",
 *                                  "prevent_destroy", "last_attempt": {"outcome", "image_id",
 *                                  "bake_hash", "reason"} only after a roll that did not complete}
 * resources/fleet/worker[eu].json the instance fleet.worker["eu"] of a for_each
 * </pre>
 * Keys are written in exactly the order above (map keys of {@code outputs} and {@code tags} sorted), every
 * key always present ({@code null} when absent), with a 2-space indent, one value a line, {@code []} and
 * {@code {}} when empty, and a final newline: equal states give byte-identical files. Addresses are
 * written with their one spelling ({@link Address#toString()}); {@code baked_at} is epoch milliseconds. In
 * file names, {@code % / \ : * ? " < > |} and control characters of a name or key are written {@code %XX}
 * (and {@code [ ]} of a name), so every address has one file. {@code format} is {@value #FORMAT}; a newer
 * format is refused rather than misread.
 *
 * <p>Decoding is strict: a missing or unknown key, a value of the wrong type, a file in the wrong place or
 * malformed JSON is a {@link StateException} naming the file and what is wrong. Files outside
 * {@code stack.json} and {@code resources/} (plans, journals) are not state and are ignored.
 */
public final class StateCodec {
    public static final String STACK_FILE = "stack.json";
    public static final String RESOURCES = "resources/";
    public static final int FORMAT = 1;

    private static final Set<String> KINDS = Set.of("image", "container", "fleet");
    private static final String UNSAFE = "%/\\:*?\"<>|";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StateCodec() {
    }

    // ---- paths

    /** Whether the path is a state file (as opposed to a plan, a journal or anything else in a revision). */
    public static boolean isStatePath(String path) {
        return path.equals(STACK_FILE) || path.startsWith(RESOURCES);
    }

    /** Whether state keeps a file for the address: the stack's own images and fleets. */
    public static boolean isStateAddress(Address address) {
        return KINDS.contains(address.kind()) && !address.isImported();
    }

    /** The file a resource is kept in: {@code resources/fleet/worker[eu].json} for {@code fleet.worker["eu"]}. */
    public static String pathOf(Address address) {
        String known = PATHS.get(address);
        if (known != null) {
            return known;
        }
        if (!isStateAddress(address)) {
            throw new IllegalArgumentException(address + " is not kept in state: only the stack's images and fleets are");
        }
        if (PATHS.size() > 100_000) {
            PATHS.clear(); // a bound, for a process that sees many stacks
        }
        String path = path(address);
        PATHS.put(address, path);
        return path;
    }

    /** {@link #pathOf} of the addresses seen so far: every commit of an apply names every resource. */
    private static final java.util.Map<Address, String> PATHS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String path(Address address) {
        String file = escape(address.name(), "[]") + (address.key() == null ? "" : "[" + escape(address.key(), "") + "]");
        return RESOURCES + address.kind() + "/" + file + ".json";
    }

    private static String escape(String text, String alsoUnsafe) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || UNSAFE.indexOf(c) >= 0 || alsoUnsafe.indexOf(c) >= 0) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- encoding

    /**
     * The record each file of the state is written from, by path: the stack file's content as a map,
     * each resource's record. Equal values give equal files, so a writer can skip encoding what it has
     * written before.
     */
    public static Map<String, Object> sources(RecordedState state) {
        // in address order, not path order: a commit looks entries up, and sorting thousands of paths for
        // every commit of an apply was a good part of its time
        Map<String, Object> sources = new java.util.LinkedHashMap<>();
        sources.put(STACK_FILE, stackSource(state));
        state.images().forEach((address, image) -> sources.put(pathOf(address), image));
        state.fleets().forEach((address, fleet) -> sources.put(pathOf(address), fleet));
        return sources;
    }

    /** What {@code stack.json} is written from: equal for states whose stack files are equal. */
    public static Object stackSource(RecordedState state) {
        return List.of(state.serial(), state.lineage(), state.outputs());
    }

    /** The file of one source as {@link #sources} gives it. */
    public static byte[] encodeOne(RecordedState state, String path, Object source) {
        if (path.equals(STACK_FILE)) {
            return encode(new RecordedState(state.serial(), state.lineage(), state.outputs(), new TreeMap<>(), new TreeMap<>()))
                    .get(STACK_FILE);
        }
        if (source instanceof ImageRecord image) {
            checkKey(image.address(), image.address(), image.address().kind());
            return json(image(image));
        }
        FleetRecord fleet = (FleetRecord) source;
        checkKey(fleet.address(), fleet.address(), "fleet");
        return json(fleet(fleet));
    }

    /** Every file of the state, by path, in path order. */
    public static SortedMap<String, byte[]> encode(RecordedState state) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("format", (long) FORMAT);
        stack.put("serial", state.serial());
        stack.put("lineage", required(state.lineage(), "lineage"));
        stack.put("outputs", new TreeMap<>(state.outputs()));
        files.put(STACK_FILE, json(stack));
        state.images().forEach((address, image) -> {
            checkKey(address, image.address(), address.kind());
            files.put(pathOf(address), json(image(image)));
        });
        state.fleets().forEach((address, fleet) -> {
            checkKey(address, fleet.address(), "fleet");
            files.put(pathOf(address), json(fleet(fleet)));
        });
        return files;
    }

    private static void checkKey(Address key, Address recorded, String kind) {
        if (!key.equals(recorded) || !kind.equals(key.kind()) || key.isImported()) {
            throw new IllegalArgumentException("state " + kind + "s must be keyed by their own, non-imported "
                    + kind + " address: " + key + " holds " + recorded);
        }
    }

    private static Map<String, Object> image(ImageRecord image) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", address(image.address()));
        List<Object> versions = new ArrayList<>();
        for (ImageVersion v : image.versions()) {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("image_id", v.imageId());
            version.put("bake_hash", v.bakeHash());
            version.put("source_image_id", v.sourceImageId());
            version.put("baked_at", v.bakedAtMillis());
            versions.add(version);
        }
        out.put("versions", versions);
        return out;
    }

    private static Map<String, Object> fleet(FleetRecord fleet) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", address(fleet.address()));
        out.put("fleet_id", fleet.fleetId());
        out.put("image", fleet.image() == null ? null : address(fleet.image()));
        out.put("bake_hash", fleet.bakeHash());
        LaunchConfiguration launch = fleet.launch();
        if (launch == null) {
            out.put("launch", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("image_id", launch.imageId());
            l.put("instance_type", launch.instanceType());
            l.put("user_data_sha256", launch.userDataSha256());
            l.put("subnets", launch.subnets());
            l.put("security_groups", launch.securityGroups());
            l.put("iam_profile", launch.iamProfile());
            out.put("launch", l);
        }
        out.put("min", (long) fleet.min());
        out.put("max", (long) fleet.max());
        out.put("desired", (long) fleet.desired());
        out.put("target_groups", fleet.targetGroups());
        out.put("tags", new TreeMap<>(fleet.tags()));
        out.put("rollout", fleet.rollout() == null ? null : address(fleet.rollout()));
        out.put("prevent_destroy", fleet.preventDestroy());
        RollAttempt attempt = fleet.lastAttempt();
        if (attempt != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("outcome", attempt.outcome());
            a.put("image_id", attempt.imageId());
            a.put("bake_hash", attempt.bakeHash());
            a.put("reason", attempt.reason());
            out.put("last_attempt", a);
        }
        return out;
    }

    /** The address's one spelling, refused if it would not read back as the same address. */
    private static String address(Address address) {
        String text = address.toString();
        Address back;
        try {
            back = Address.parse(address.kind(), text);
        } catch (RuntimeException e) {
            back = null;
        }
        if (!address.equals(back)) {
            throw new IllegalArgumentException("address " + text + " does not read back from its spelling; "
                    + "it cannot be kept in state");
        }
        return text;
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("state needs a " + what);
        }
        return value;
    }

    private static byte[] json(Map<String, Object> value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                indent(depth + 1, out);
                string((String) e.getKey(), out);
                out.append(": ");
                write(e.getValue(), depth + 1, out);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                indent(depth + 1, out);
                write(list.get(i), depth + 1, out);
                out.append(i < list.size() - 1 ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass() + " to state");
        }
    }

    private static void indent(int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
    }

    private static void string(String s, StringBuilder out) {
        JsonText.quote(s, out);
    }

    // ---- decoding

    /**
     * The state kept in the given files (path to content); files other than {@code stack.json} and those
     * under {@code resources/} are ignored.
     */
    public static RecordedState decode(Map<String, byte[]> files) throws StateException {
        byte[] stackBytes = files.get(STACK_FILE);
        if (stackBytes == null) {
            throw new StateException(STACK_FILE + ": missing; every state revision has one");
        }
        Fields stack = Fields.parse(STACK_FILE, stackBytes);
        long format = stack.integer("format", 1, Long.MAX_VALUE);
        if (format > FORMAT) {
            throw new StateException(STACK_FILE + ": state format " + format + " was written by a newer imm; "
                    + "this one reads format " + FORMAT + " (upgrade imm)");
        }
        long serial = stack.integer("serial", 0, Long.MAX_VALUE);
        String lineage = stack.string("lineage", false);
        SortedMap<String, String> outputs = stack.stringMap("outputs");
        stack.done();

        SortedMap<Address, ImageRecord> images = new TreeMap<>();
        SortedMap<Address, FleetRecord> fleets = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
            String path = file.getKey();
            if (!path.startsWith(RESOURCES)) {
                continue;
            }
            String rest = path.substring(RESOURCES.length());
            int slash = rest.indexOf('/');
            String kind = slash < 0 ? "" : rest.substring(0, slash);
            if (slash < 0 || !KINDS.contains(kind) || rest.indexOf('/', slash + 1) >= 0) {
                throw new StateException(path + ": not a place for state: resources are kept as "
                        + "resources/image/<name>.json, resources/container/<name>.json and resources/fleet/<name>.json");
            }
            if (!path.endsWith(".json")) {
                throw new StateException(path + ": not a resource file: resource files end in .json");
            }
            Fields fields = Fields.parse(path, file.getValue());
            Address address = fields.address("address", kind, false, true);
            if (!pathOf(address).equals(path)) {
                throw new StateException(path + ": holds " + address + ", which is kept in " + pathOf(address));
            }
            if (!kind.equals("fleet")) {
                images.put(address, image(address, fields));
            } else {
                fleets.put(address, fleet(address, fields));
            }
        }
        return new RecordedState(serial, lineage, outputs, images, fleets);
    }

    private static ImageRecord image(Address address, Fields fields) throws StateException {
        List<ImageVersion> versions = new ArrayList<>();
        for (Fields v : fields.objects("versions")) {
            versions.add(new ImageVersion(v.string("image_id", false), v.string("bake_hash", true),
                    v.string("source_image_id", true), v.integer("baked_at", Long.MIN_VALUE, Long.MAX_VALUE)));
            v.done();
        }
        fields.done();
        return new ImageRecord(address, versions);
    }

    private static FleetRecord fleet(Address address, Fields fields) throws StateException {
        String fleetId = fields.string("fleet_id", true);
        Address image = fields.address("image", "image", true, false);
        String bakeHash = fields.string("bake_hash", true);
        Fields l = fields.object("launch", true);
        LaunchConfiguration launch = null;
        if (l != null) {
            launch = new LaunchConfiguration(l.string("image_id", true), l.string("instance_type", true),
                    l.string("user_data_sha256", true), l.strings("subnets"), l.strings("security_groups"),
                    l.string("iam_profile", true));
            l.done();
        }
        int min = (int) fields.integer("min", 0, Integer.MAX_VALUE);
        int max = (int) fields.integer("max", 0, Integer.MAX_VALUE);
        int desired = (int) fields.integer("desired", 0, Integer.MAX_VALUE);
        List<String> targetGroups = fields.strings("target_groups");
        SortedMap<String, String> tags = fields.stringMap("tags");
        Address rollout = fields.address("rollout", "rollout", true, false);
        boolean preventDestroy = fields.bool("prevent_destroy");
        RollAttempt attempt = null;
        if (fields.has("last_attempt")) {
            Fields a = fields.object("last_attempt", false);
            attempt = new RollAttempt(a.string("outcome", false), a.string("image_id", true), a.string("bake_hash", true),
                    a.string("reason", false));
            a.done();
        }
        fields.done();
        return new FleetRecord(address, fleetId, image, bakeHash, launch, min, max, desired, targetGroups, tags,
                rollout, preventDestroy, attempt);
    }

    // ---- the lock

    /** The content of the lock ref's blob; {@code token} makes every acquisition's blob distinct. */
    public static byte[] encodeLock(LockInfo lock, String token) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", lock.owner());
        out.put("operation", lock.operation());
        out.put("started", Instant.ofEpochMilli(lock.startedMillis()).toString());
        out.put("expires", Instant.ofEpochMilli(lock.expiresMillis()).toString());
        out.put("token", token);
        return json(out);
    }

    public static LockInfo decodeLock(String name, byte[] content) throws StateException {
        Fields f = Fields.parse(name, content);
        LockInfo info = new LockInfo(f.string("owner", false), f.string("operation", false), f.instant("started"),
                f.instant("expires"));
        f.string("token", true);
        f.done();
        return info;
    }

    /** A JSON object being read, with the file and the path to it for messages, and the keys not yet read. */
    private static final class Fields {
        private final String file;
        private final String where;
        private final JsonNode node;
        private final Set<String> unread = new LinkedHashSet<>();

        private Fields(String file, String where, JsonNode node) {
            this.file = file;
            this.where = where;
            this.node = node;
            node.fieldNames().forEachRemaining(unread::add);
        }

        static Fields parse(String file, byte[] content) throws StateException {
            JsonNode node;
            try {
                node = JSON.readTree(content);
            } catch (JsonProcessingException e) {
                String at = e.getLocation() == null ? ""
                        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
                throw new StateException(file + ": not valid JSON" + at + ": " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new StateException(file + ": cannot be read: " + e.getMessage(), e);
            }
            if (node == null || node.isMissingNode()) {
                throw new StateException(file + ": empty; expected a JSON object");
            }
            if (!node.isObject()) {
                throw new StateException(file + ": expected a JSON object, found " + describe(node));
            }
            return new Fields(file, "", node);
        }

        StateException error(String key, String what) {
            return new StateException(file + ": \"" + where + key + "\" " + what);
        }

        private JsonNode get(String key) throws StateException {
            JsonNode value = node.get(key);
            if (value == null) {
                throw error(key, "is missing");
            }
            unread.remove(key);
            return value;
        }

        /** Whether the object has {@code key} (for fields that older states do not write). */
        boolean has(String key) {
            return node.has(key);
        }

        String string(String key, boolean nullable) throws StateException {
            JsonNode value = get(key);
            if (value.isNull() && nullable) {
                return null;
            }
            if (!value.isTextual()) {
                throw error(key, "must be " + (nullable ? "a string or null" : "a string") + ", not " + describe(value));
            }
            return value.textValue();
        }

        long integer(String key, long min, long max) throws StateException {
            JsonNode value = get(key);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw error(key, "must be a whole number, not " + describe(value));
            }
            long n = value.longValue();
            if (n < min || n > max) {
                throw error(key, "must be " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                        ? "at least " + min : "between " + min + " and " + max) + ", not " + n);
            }
            return n;
        }

        boolean bool(String key) throws StateException {
            JsonNode value = get(key);
            if (!value.isBoolean()) {
                throw error(key, "must be true or false, not " + describe(value));
            }
            return value.booleanValue();
        }

        long instant(String key) throws StateException {
            String text = string(key, false);
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw error(key, "must be a time like 2025-01-31T12:00:00Z, not \"" + text + "\"");
            }
        }

        List<String> strings(String key) throws StateException {
            JsonNode value = get(key);
            if (!value.isArray()) {
                throw error(key, "must be a list of strings, not " + describe(value));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isTextual()) {
                    throw error(key, "must be a list of strings, but item " + (i + 1) + " is " + describe(value.get(i)));
                }
                out.add(value.get(i).textValue());
            }
            return out;
        }

        SortedMap<String, String> stringMap(String key) throws StateException {
            JsonNode value = get(key);
            if (!value.isObject()) {
                throw error(key, "must be an object of strings, not " + describe(value));
            }
            SortedMap<String, String> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw error(key, "must be an object of strings, but \"" + e.getKey() + "\" is "
                            + describe(e.getValue()));
                }
                out.put(e.getKey(), e.getValue().textValue());
            }
            return out;
        }

        Fields object(String key, boolean nullable) throws StateException {
            JsonNode value = get(key);
            if (value.isNull() && nullable) {
                return null;
            }
            if (!value.isObject()) {
                throw error(key, "must be an object" + (nullable ? " or null" : "") + ", not " + describe(value));
            }
            return new Fields(file, where + key + ".", value);
        }

        List<Fields> objects(String key) throws StateException {
            JsonNode value = get(key);
            if (!value.isArray()) {
                throw error(key, "must be a list of objects, not " + describe(value));
            }
            List<Fields> out = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isObject()) {
                    throw error(key, "must be a list of objects, but item " + (i + 1) + " is " + describe(value.get(i)));
                }
                out.add(new Fields(file, where + key + "[" + i + "].", value.get(i)));
            }
            return out;
        }

        /** An address of the given kind in its one spelling; {@code own}: the stack's own, not imported. */
        Address address(String key, String kind, boolean nullable, boolean own) throws StateException {
            String text = string(key, nullable);
            if (text == null) {
                return null;
            }
            Address address = null;
            try {
                address = Address.parse(kind, text);
            } catch (RuntimeException e) {
                // reported below
            }
            boolean ok = address != null && !address.name().isEmpty() && address.toString().equals(text)
                    && (!own || !address.isImported());
            if (!ok) {
                throw error(key, "must be " + (own ? "the address of one of the stack's " + kind + "s" : "an address of "
                        + ("image".equals(kind) ? "an " : "a ") + kind) + " (like " + kind + ".web), not \"" + text + "\"");
            }
            return address;
        }

        void done() throws StateException {
            if (!unread.isEmpty()) {
                String key = unread.iterator().next();
                throw error(key, "is not a known key here" + (unread.size() > 1 ? " (nor are " + (unread.size() - 1)
                        + " more)" : ""));
            }
        }

        private static String describe(JsonNode value) {
            if (value.isNull()) {
                return "null";
            }
            if (value.isTextual()) {
                return "the string \"" + value.textValue() + "\"";
            }
            if (value.isNumber()) {
                return "the number " + value.asText();
            }
            if (value.isBoolean()) {
                return value.asText();
            }
            return value.isArray() ? "a list" : "an object";
        }
    }
}
