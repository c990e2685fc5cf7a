package dev.imm.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitMessageTest {
    @Test
    void rendersSummaryBodyAndTrailers() {
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put("Imm-Apply", "3f2a");
        trailers.put("Imm-Status", "succeeded");
        String message = CommitMessage.render("apply 3f2a: roll fleet.web", "fleet.web rolled\n4 replaced\n", trailers);
        assertEquals("apply 3f2a: roll fleet.web\n\nfleet.web rolled\n4 replaced\n\nImm-Apply: 3f2a\nImm-Status: succeeded\n",
                message);
        assertEquals("apply 3f2a: roll fleet.web", CommitMessage.summary(message));
        assertEquals("fleet.web rolled\n4 replaced", CommitMessage.body(message));
        assertEquals(List.of("Imm-Apply", "Imm-Status"), List.copyOf(CommitMessage.trailers(message).keySet()));
        assertEquals(trailers, CommitMessage.trailers(message));
    }

    @Test
    void withoutBodyOrTrailers() {
        String message = CommitMessage.render("s", "", Map.of("Imm-Serial", "3"));
        assertEquals("s\n\nImm-Serial: 3\n", message);
        assertEquals(Map.of("Imm-Serial", "3"), CommitMessage.trailers(message));
        assertEquals("", CommitMessage.body(message));
        assertEquals(Map.of(), CommitMessage.trailers(CommitMessage.render("Key: value", "", Map.of())));
        assertEquals(Map.of(), CommitMessage.trailers("s\n\nnot: a trailer paragraph\nbecause of this line\n"));
    }

    @Test
    void refusesWhatWouldNotReadBack() {
        assertThrows(IllegalArgumentException.class, () -> CommitMessage.render("two\nlines", "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CommitMessage.render(" ", "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CommitMessage.render("s", "", Map.of("Bad Key", "v")));
        assertThrows(IllegalArgumentException.class, () -> CommitMessage.render("s", "", Map.of("K", "a\nb")));
    }
}
