package dev.imm.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One commit of the state history: its revision, when it was made (epoch ms), by whom ({@code Name
 * <email>}), its summary line and its trailers in message order ({@code Imm-Apply}, {@code Imm-Status}, …).
 */
public record HistoryEntry(Revision revision, long timeMillis, String author, String summary,
                           Map<String, String> trailers) {
    public HistoryEntry {
        trailers = Collections.unmodifiableMap(new LinkedHashMap<>(trailers));
    }
}
