package dev.imm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
