package dev.imm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.apply.ApplyHook;
import dev.imm.apply.StepOutcome;
import dev.imm.model.Address;
import dev.imm.plan.ResourceChange;
import java.io.PrintStream;
import java.util.Locale;

/**
 * An apply as JSON lines, one object per event, for machines ({@code apply --json}): {@code started}
 * (address, action), {@code progress} (address, virtual time in ms, message) and {@code finished}
 * (address, action, status, detail, virtual duration in ms).
 */
final class JsonEvents implements ApplyHook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    JsonEvents(PrintStream out) {
        this.out = out;
    }

    private ObjectNode event(String type, Address address) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("address", address.toString());
        return n;
    }

    private synchronized void emit(ObjectNode n) {
        out.println(n.toString());
    }

    @Override
    public void started(ResourceChange change) {
        ObjectNode n = event("started", change.address());
        n.put("action", change.action().spelling());
        emit(n);
    }

    @Override
    public void progress(Address address, long atMillis, String message) {
        ObjectNode n = event("progress", address);
        n.put("at_ms", atMillis);
        n.put("message", message);
        emit(n);
    }

    @Override
    public void finished(ResourceChange change, StepOutcome outcome) {
        ObjectNode n = event("finished", change.address());
        n.put("action", change.action().spelling());
        n.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
        n.put("detail", outcome.detail());
        n.put("duration_ms", outcome.virtualMillis());
        emit(n);
    }
}
