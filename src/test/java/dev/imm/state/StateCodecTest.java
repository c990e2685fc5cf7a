package dev.imm.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private static final Address WORKER_EU = new Address("", "fleet", "worker", "eu");

    private static RecordedState sample() {
        FleetRecord worker = new FleetRecord(WORKER_EU, null, Address.of("image", "app"), null,
                new LaunchConfiguration("ami-2", "m5.large", null, List.of(), List.of("sg-1", "sg-2"), "worker-role"),
                0, 10, 3, List.of("tg-a"), new TreeMap<>(Map.of("z", "last", "a", "first \"quoted\"\n")),
                Address.parse("rollout", "rollouts.canary"), true,
                new dev.imm.state.RollAttempt("rolled-back", "ami-3", "sha256:app3", "alarm \"5xx\" fired"));
        FleetRecord web = TestStates.fleet("web", "ami-2", 2);
        FleetRecord bare = new FleetRecord(Address.of("fleet", "bare"), "asg-x", null, null, null, 0, 0, 0, List.of(),
                new TreeMap<>(), Address.of("rollout", "fast"), false, null);
        return TestStates.state(7, List.of(TestStates.image("app", "ami-1", "ami-2"), TestStates.image("base")),
                List.of(worker, web, bare));
    }

    private static Map<String, String> text(SortedMap<String, byte[]> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void roundTripsEveryField() throws StateException {
        RecordedState state = sample();
        SortedMap<String, byte[]> files = StateCodec.encode(state);
        assertEquals(List.of("resources/fleet/bare.json", "resources/fleet/web.json", "resources/fleet/worker[eu].json",
                "resources/image/app.json", "resources/image/base.json", "stack.json"), new ArrayList<>(files.keySet()));
        assertEquals(state, StateCodec.decode(files));
        assertEquals(RecordedState.empty("l"), StateCodec.decode(StateCodec.encode(RecordedState.empty("l"))));
    }

    @Test
    void equalStatesGiveIdenticalBytesWhateverTheOrderTheyWereBuiltIn() {
        RecordedState a = sample();
        List<FleetRecord> fleets = new ArrayList<>(a.fleets().values());
        Collections.reverse(fleets);
        List<ImageRecord> images = new ArrayList<>(a.images().values());
        Collections.reverse(images);
        RecordedState b = TestStates.state(7, images, fleets);
        SortedMap<String, byte[]> fa = StateCodec.encode(a);
        SortedMap<String, byte[]> fb = StateCodec.encode(b);
        assertEquals(fa.keySet(), fb.keySet());
        fa.forEach((path, bytes) -> assertArrayEquals(bytes, fb.get(path), path));
        assertArrayEquals(fa.get("stack.json"), StateCodec.encode(a).get("stack.json"));
    }

    @Test
    void writesTheDocumentedLayout() {
        Map<String, String> files = text(StateCodec.encode(sample()));
        assertEquals("""
                {
                  "format": 1,
                  "serial": 7,
                  "lineage": "0b7d5c1e-7a43-4bb2-9d55-3a1f4f0c2e11",
                  "outputs": {
                    "url": "http://web.example"
                  }
                }
                """, files.get("stack.json"));
        assertEquals("""
                {
                  "address": "fleet.worker[\\"eu\\"]",
                  "fleet_id": null,
                  "image": "image.app",
                  "bake_hash": null,
                  "launch": {
                    "image_id": "ami-2",
                    "instance_type": "m5.large",
                    "user_data_sha256": null,
                    "subnets": [],
                    "security_groups": [
                      "sg-1",
                      "sg-2"
                    ],
                    "iam_profile": "worker-role"
                  },
                  "min": 0,
                  "max": 10,
                  "desired": 3,
                  "target_groups": [
                    "tg-a"
                  ],
                  "tags": {
                    "a": "first \\"quoted\\"\\n",
                    "z": "last"
                  },
                  "rollout": "rollouts.canary",
                  "prevent_destroy": true,
                  "last_attempt": {
                    "outcome": "rolled-back",
                    "image_id": "ami-3",
                    "bake_hash": "sha256:app3",
                    "reason": "alarm \\"5xx\\" fired"
                  }
                }
                """, files.get("resources/fleet/worker[eu].json"));
        assertEquals("""
                {
                  "address": "image.app",
                  "versions": [
                    {
                      "image_id": "ami-1",
                      "bake_hash": "sha256:app0",
                      "source_image_id": null,
                      "baked_at": 1700000000000
                    },
                    {
                      "image_id": "ami-2",
                      "bake_hash": "sha256:app1",
                      "source_image_id": "ami-1",
                      "baked_at": 1700000000001
                    }
                  ]
                }
                """, files.get("resources/image/app.json"));
        assertEquals("{\n  \"address\": \"image.base\",\n  \"versions\": []\n}\n", files.get("resources/image/base.json"));
    }

    @Test
    void everyAddressHasOneFile() {
        assertEquals("resources/fleet/web.json", StateCodec.pathOf(Address.of("fleet", "web")));
        assertEquals("resources/fleet/worker[eu].json", StateCodec.pathOf(WORKER_EU));
        assertEquals("resources/fleet/worker[a%2Fb%25].json", StateCodec.pathOf(WORKER_EU.withKey("a/b%")));
        assertEquals("resources/fleet/worker[].json", StateCodec.pathOf(WORKER_EU.withKey("")));
        assertEquals("resources/image/app.json", StateCodec.pathOf(Address.of("image", "app")));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.pathOf(Address.parse("rollout", "rollouts.canary")));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.pathOf(Address.of("var", "env")));
        assertTrue(StateCodec.isStatePath("stack.json"));
        assertTrue(StateCodec.isStatePath("resources/fleet/web.json"));
        assertFalse(StateCodec.isStatePath("applies/1/plan.json"));
    }

    @Test
    void keysWithSlashesAndQuotesRoundTrip() throws StateException {
        Address odd = WORKER_EU.withKey("eu/west \"1\" \\ é");
        RecordedState state = TestStates.state(1, List.of(), List.of(TestStates.fleet(odd, "ami-1", 1)));
        SortedMap<String, byte[]> files = StateCodec.encode(state);
        assertTrue(files.containsKey("resources/fleet/worker[eu%2Fwest %221%22 %5C é].json"), files.keySet().toString());
        assertEquals(state, StateCodec.decode(files));
    }

    @Test
    void refusesToEncodeImportedOrMiskeyedResources() {
        FleetRecord web = TestStates.fleet("web", "ami-1", 1);
        RecordedState miskeyed = new RecordedState(1, "l", new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(Map.of(Address.of("fleet", "api"), web)));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.encode(miskeyed));
        Address imported = Address.parse("fleet", "mod.web");
        RecordedState withImport = TestStates.state(1, List.of(), List.of(TestStates.fleet(imported, "ami-1", 1)));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.encode(withImport));
    }

    private static String decodeError(Map<String, String> edits) {
        Map<String, byte[]> files = new TreeMap<>(StateCodec.encode(sample()));
        edits.forEach((path, content) -> {
            if (content == null) {
                files.remove(path);
            } else {
                files.put(path, content.getBytes(StandardCharsets.UTF_8));
            }
        });
        return assertThrows(StateException.class, () -> StateCodec.decode(files)).getMessage();
    }

    private static String web() {
        return new String(StateCodec.encode(sample()).get("resources/fleet/web.json"), StandardCharsets.UTF_8);
    }

    @Test
    void decodingErrorsNameTheFileAndWhatIsWrong() {
        String web = "resources/fleet/web.json";
        assertEquals("stack.json: missing; every state revision has one", decodeError(Collections.singletonMap("stack.json", null)));
        assertEquals(web + ": \"min\" must be a whole number, not the string \"one\"",
                decodeError(Map.of(web, web().replace("\"min\": 1", "\"min\": \"one\""))));
        assertEquals(web + ": \"min\" must be at least 0, not -1",
                decodeError(Map.of(web, web().replace("\"min\": 1", "\"min\": -1"))));
        assertEquals(web + ": \"fleet_id\" is missing",
                decodeError(Map.of(web, web().replace("\"fleet_id\": \"asg-web\",", ""))));
        assertEquals(web + ": \"launch.subnets\" must be a list of strings, but item 2 is the number 3",
                decodeError(Map.of(web, web().replace("\"subnet-b\"", "3"))));
        assertEquals(web + ": \"launch.colour\" is not a known key here",
                decodeError(Map.of(web, web().replace("\"iam_profile\": null", "\"iam_profile\": null, \"colour\": \"red\""))));
        assertEquals(web + ": \"prevent_destroy\" must be true or false, not the string \"no\"",
                decodeError(Map.of(web, web().replace("\"prevent_destroy\": false", "\"prevent_destroy\": \"no\""))));
        assertEquals(web + ": holds fleet.api, which is kept in resources/fleet/api.json",
                decodeError(Map.of(web, web().replace("\"fleet.web\"", "\"fleet.api\""))));
        assertEquals(web + ": \"address\" must be the address of one of the stack's fleets (like fleet.web), not \"mod.web\"",
                decodeError(Map.of(web, web().replace("\"fleet.web\"", "\"mod.web\""))));
        assertEquals(web + ": \"image\" must be an address of an image (like image.web), not \"app\"",
                decodeError(Map.of(web, web().replace("\"image.app\"", "\"app\""))));
        assertTrue(decodeError(Map.of(web, web().replace("\"min\": 1,", "\"min\": 1"))).startsWith(
                web + ": not valid JSON at line 20, column 3: Unexpected character ('\"'"));
        assertEquals(web + ": expected a JSON object, found a list", decodeError(Map.of(web, "[]\n")));
        assertEquals(web + ": empty; expected a JSON object", decodeError(Map.of(web, "")));
        assertEquals("resources/rollout/x.json: not a place for state: resources are kept as resources/image/<name>.json,"
                + " resources/container/<name>.json and resources/fleet/<name>.json", decodeError(Map.of("resources/rollout/x.json", "{}")));
        assertEquals("resources/fleet/web.txt: not a resource file: resource files end in .json",
                decodeError(Map.of("resources/fleet/web.txt", "{}")));
        assertEquals("stack.json: state format 2 was written by a newer imm; this one reads format 1 (upgrade imm)",
                decodeError(Map.of("stack.json", "{\"format\": 2}")));
        assertEquals("resources/image/app.json: \"versions[1].baked_at\" must be a whole number, not the number 1.5",
                decodeError(Map.of("resources/image/app.json", new String(StateCodec.encode(sample())
                        .get("resources/image/app.json"), StandardCharsets.UTF_8).replace("1700000000001", "1.5"))));
        assertEquals(web + ": not valid JSON at line 1, column 35: Duplicate field 'address'",
                decodeError(Map.of(web, "{\"address\": \"fleet.web\", \"address\": \"fleet.web\"}")));
    }

    @Test
    void ignoresFilesThatAreNotState() throws StateException {
        Map<String, byte[]> files = new TreeMap<>(StateCodec.encode(sample()));
        files.put("applies/1/plan.json", "not json".getBytes(StandardCharsets.UTF_8));
        assertEquals(sample(), StateCodec.decode(files));
    }

    @Test
    void lockBlobsRoundTrip() throws StateException {
        LockInfo lock = new LockInfo("alice@laptop", "apply 3f2a", 1_700_000_000_123L, 1_700_000_300_123L);
        byte[] bytes = StateCodec.encodeLock(lock, "t1");
        assertEquals(lock, StateCodec.decodeLock("refs/imm/lock", bytes));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"started\": \"2023-11-14T22:13:20.123Z\""));
        assertEquals("refs/imm/lock: \"expires\" must be a time like 2025-01-31T12:00:00Z, not \"soon\"",
                assertThrows(StateException.class, () -> StateCodec.decodeLock("refs/imm/lock",
                        "{\"owner\":\"a\",\"operation\":\"b\",\"started\":\"2023-11-14T22:13:20Z\",\"expires\":\"soon\",\"token\":null}"
                                .getBytes(StandardCharsets.UTF_8))).getMessage());
    }
}
