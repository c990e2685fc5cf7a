package dev.imm.render;

import dev.imm.model.LaunchConfiguration;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A recorded state for a terminal ({@code imm show}): the revision, serial and lineage, the outputs, each
 * image with its versions oldest first (id, bake hash, when it was baked; the last is current), and each
 * fleet with its cloud id, image, launch configuration, sizes, target groups and tags. Pure: the same state
 * gives the same text.
 *
 * <pre>
 * Revision 1a2b3c4 (serial 3)
 * Lineage  0f6c9e4e-…
 *
 * Outputs:
 *   web_image = "ami-0a1b…"
 *
 * image.web
 *   ami-0a1b2c3d4e5f60718  bake 3f2a1b2c3d4e  baked 2026-01-01 00:07:00 UTC  (current)
 *
 * fleet.web
 *   fleet_id      = asg-…
 *   …
 * </pre>
 */
public final class StateTextRenderer {
    private StateTextRenderer() {
    }

    public static String render(Revision revision, RecordedState state) {
        StringBuilder out = new StringBuilder();
        out.append("Revision ").append(revision.shortId()).append(" (serial ").append(state.serial()).append(")\n");
        out.append("Lineage  ").append(state.lineage()).append('\n');
        if (!state.outputs().isEmpty()) {
            out.append("\nOutputs:\n");
            int width = state.outputs().keySet().stream().mapToInt(String::length).max().orElse(0);
            state.outputs().forEach((name, value) ->
                    out.append("  ").append(pad(name, width)).append(" = ").append(value).append('\n'));
        }
        if (state.images().isEmpty() && state.fleets().isEmpty()) {
            out.append("\nNo images or fleets are recorded.\n");
            return out.toString();
        }
        for (ImageRecord image : state.images().values()) {
            out.append('\n').append(image.address()).append('\n');
            image(image, out);
        }
        for (FleetRecord fleet : state.fleets().values()) {
            out.append('\n').append(fleet.address()).append('\n');
            attributes(fleet(fleet), out);
        }
        return out.toString();
    }

    private static void image(ImageRecord image, StringBuilder out) {
        if (image.versions().isEmpty()) {
            out.append("  (no versions)\n");
            return;
        }
        int idWidth = image.versions().stream().mapToInt(v -> v.imageId().length()).max().orElse(0);
        for (int i = 0; i < image.versions().size(); i++) {
            ImageVersion v = image.versions().get(i);
            String line = "  " + pad(v.imageId(), idWidth) + "  bake " + pad(shortHash(v.bakeHash()), 12)
                    + "  baked " + time(v.bakedAtMillis())
                    + (i == image.versions().size() - 1 ? "  (current)" : "");
            out.append(line.stripTrailing()).append('\n');
        }
    }

    private static List<Map.Entry<String, String>> fleet(FleetRecord f) {
        List<Map.Entry<String, String>> a = new ArrayList<>();
        a.add(Map.entry("fleet_id", orNone(f.fleetId())));
        a.add(Map.entry("image", f.image() == null ? "(none)" : f.image().toString()));
        a.add(Map.entry("bake_hash", orNone(shortHash(f.bakeHash()))));
        LaunchConfiguration l = f.launch();
        if (l == null) {
            a.add(Map.entry("launch", "(none)"));
        } else {
            a.add(Map.entry("image_id", orNone(l.imageId())));
            a.add(Map.entry("instance_type", orNone(l.instanceType())));
            a.add(Map.entry("user_data", orNone(userData(l.userDataSha256()))));
            a.add(Map.entry("subnets", list(l.subnets())));
            a.add(Map.entry("security_groups", list(l.securityGroups())));
            a.add(Map.entry("iam_profile", orNone(l.iamProfile())));
        }
        a.add(Map.entry("min", String.valueOf(f.min())));
        a.add(Map.entry("desired", String.valueOf(f.desired())));
        a.add(Map.entry("max", String.valueOf(f.max())));
        a.add(Map.entry("target_groups", list(f.targetGroups())));
        a.add(Map.entry("tags", f.tags().isEmpty() ? "(none)" : f.tags().toString()));
        a.add(Map.entry("rollout", f.rollout() == null ? "(default)" : f.rollout().toString()));
        if (f.preventDestroy()) {
            a.add(Map.entry("prevent_destroy", "true"));
        }
        return a;
    }

    private static void attributes(List<Map.Entry<String, String>> attributes, StringBuilder out) {
        int width = attributes.stream().mapToInt(e -> e.getKey().length()).max().orElse(0);
        for (Map.Entry<String, String> e : attributes) {
            out.append("  ").append(pad(e.getKey(), width)).append(" = ").append(e.getValue()).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "(none)" : s;
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "(none)" : items.toString();
    }

    /** The first 12 digits of a hash, as plans show them. */
    private static String shortHash(String hash) {
        if (hash == null || hash.isEmpty()) {
            return "(none)";
        }
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private static String userData(String sha256) {
        if (sha256 == null || sha256.isEmpty()) {
            return "";
        }
        return sha256.length() > 12 && !sha256.startsWith("(") ? "sha256:" + sha256.substring(0, 12) : sha256;
    }

    /** {@code 2026-01-01 00:07:00 UTC}; a version reused rather than baked has no time ({@code 0}). */
    private static String time(long millis) {
        if (millis <= 0) {
            return "(unknown)";
        }
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", " UTC");
    }
}
