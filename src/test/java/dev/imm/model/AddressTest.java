package dev.imm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"eu", "with \"quotes\"", "back\\slash", "new\nline", "tab\there", "${not}", "bell\u0007", "é🚀"})
    void everyInstanceKeyReadsBackAsWritten(String key) {
        Address address = Address.of("fleet", "worker").withKey(key);
        assertEquals(address, Address.parse("fleet", address.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"image.app", "fleet.web", "rollouts.canary"})
    void plainAddressesReadBack(String text) {
        String kind = text.startsWith("rollouts") ? "rollout" : text.substring(0, text.indexOf('.'));
        assertEquals(text, Address.parse(kind, text).toString());
    }

    @Test
    void addressesSortByModuleKindNameThenKeyWithNoKeyFirst() {
        List<Address> sorted = List.of(
                Address.of("fleet", "web"),
                Address.of("fleet", "web").withKey(""),
                Address.of("fleet", "web").withKey("eu"),
                Address.of("fleet", "web").withKey("us"),
                Address.of("fleet", "web2"),
                Address.of("image", "app"),
                new Address("rollouts", "rollout", "canary", null),
                new Address("rollouts", "rollout", "canary", "a"));
        for (int seed = 0; seed < 20; seed++) {
            List<Address> shuffled = new ArrayList<>(sorted);
            Collections.shuffle(shuffled, new Random(seed));
            Collections.sort(shuffled);
            assertEquals(sorted, shuffled);
        }
        for (Address a : sorted) {
            assertEquals(0, a.compareTo(new Address(a.module(), a.kind(), a.name(), a.key())));
        }
    }
}
