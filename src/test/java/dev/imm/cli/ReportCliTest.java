package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.engine.ApplyRecord;
import dev.imm.engine.Engine;
import dev.imm.plan.Timeline;
import dev.imm.render.TimelineJson;
import dev.imm.testing.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report (docs/report.md) as a user makes it: approved pages of the showcase's rehearsals,
 * the same model as the JSON, the report of a recorded apply, and the pull-request preview's link. The
 * pages as a browser shows them are checked by {@link ReportBrowserTest}.
 */
class ReportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theShowcasesRehearsedReportIsApproved() throws Exception {
        Path stack = Reports.showcase(temp, null);
        String html = Reports.rehearsedReport(stack, temp.resolve("report.html"), "-var", "app_version=1.5.0");
        Snapshots.assertMatches(Reports.APPROVED.resolve("showcase.html"), Reports.normalized(html));
        assertSelfContained(html);
        // again: byte for byte the same page
        assertEquals(html, Reports.rehearsedReport(stack, temp.resolve("again.html"), "-var", "app_version=1.5.0"));
    }

    @Test
    void aRehearsalThatRollsBackShowsTheFaultAndTheRollback() throws Exception {
        Path stack = Reports.showcase(temp, "fault \"alarm\" { name = \"shop-5xx-rate\"  at = 30% }");
        String html = Reports.rehearsedReport(stack, temp.resolve("report.html"), "-var", "app_version=1.5.0");
        Snapshots.assertMatches(Reports.APPROVED.resolve("showcase-rollback.html"), Reports.normalized(html));
        String web = html.substring(html.indexOf("<figure class=\"chart\" data-address=\"fleet.web\""));
        web = web.substring(0, web.indexOf("</figure>"));
        assertTrue(web.contains("class=\"fault-mark\"") && web.contains("alarm &quot;shop-5xx-rate&quot; fired at 2 of 4"), web);
        assertTrue(web.contains("class=\"rollback-mark\"") && web.contains("class=\"band rollback\""), web);
        assertTrue(web.contains("<span class=\"status rolled-back\">rolled back</span>"), web);
    }

    @Test
    void theJsonCarriesTheTimelineTheReportDraws() throws Exception {
        Path stack = Reports.showcase(temp, null);
        CliRun json = CliRun.of("plan", stack.toString(), "--rehearse", "--format", "json", "-var", "app_version=1.5.0");
        assertEquals(ExitCode.OK, json.exitCode(), json.err());
        JsonNode timeline = JSON.readTree(json.out()).get("timeline");
        assertEquals("rehearsed", timeline.get("source").asText());
        assertEquals(List.of("image.app", "fleet.admin", "fleet.web", "fleet.worker[\"eu\"]", "fleet.worker[\"us\"]"),
                addresses(timeline));
        String html = Reports.rehearsedReport(stack, temp.resolve("report.html"), "-var", "app_version=1.5.0");
        // one bar per step of the JSON, at the same times
        Matcher steps = Pattern.compile("<g class=\"step\" data-address=\"([^\"]+)\" data-start-ms=\"(\\d+)\" data-end-ms=\"(\\d+)\"")
                .matcher(html);
        int i = 0;
        while (steps.find()) {
            JsonNode step = timeline.get("steps").get(i++);
            assertEquals(step.get("address").asText(), steps.group(1).replace("&quot;", "\""));
            assertEquals(step.get("start_ms").asLong(), Long.parseLong(steps.group(2)));
            assertEquals(step.get("end_ms").asLong(), Long.parseLong(steps.group(3)));
        }
        assertEquals(timeline.get("steps").size(), i);
        // the timeline reads back as written
        Timeline read = TimelineJson.read(JSON.writeValueAsString(timeline));
        assertEquals(JSON.readTree(TimelineJson.render(read)), timeline);
        // a canary's pauses and a blue/green rollout's verify and drain are phases
        assertEquals(List.of("pause", "pause", "pause"), kinds(timeline, "fleet.web"));
        assertEquals(List.of("verify", "drain"), kinds(timeline, "fleet.admin"));
    }

    @Test
    void anApplyRecordsTheTimelineItsRehearsalPredictedAndHistoryReportsIt() throws Exception {
        Path stack = Reports.showcase(temp, null);
        CliRun rehearsal = CliRun.of("plan", stack.toString(), "--rehearse", "--format", "json", "-var", "app_version=1.5.0");
        JsonNode rehearsed = JSON.readTree(rehearsal.out()).get("timeline");
        assertEquals(ExitCode.OK, CliRun.of("apply", stack.toString(), "-var", "app_version=1.5.0", "--auto-approve").exitCode());

        Engine engine = new Engine();
        ApplyRecord newest = engine.history(stack, Optional.empty(), 1).get(0);
        Timeline applied = engine.timeline(stack, newest).orElseThrow();
        assertEquals(Timeline.Source.APPLIED, applied.source());
        JsonNode recorded = JSON.readTree(TimelineJson.render(applied));
        ((com.fasterxml.jackson.databind.node.ObjectNode) recorded).put("source", "rehearsed");
        assertEquals(rehearsed, recorded, "the simulated cloud did what the rehearsal said it would");

        Path page = temp.resolve("apply.html");
        CliRun history = CliRun.of("history", stack.toString(), "--format", "html", "-o", page.toString());
        assertEquals(ExitCode.OK, history.exitCode(), history.err());
        String html = Files.readString(page);
        assertTrue(html.contains("<h1>imm apply: shop</h1>"), html);
        assertTrue(html.contains("Revision <code>" + newest.revision().shortId() + "</code>"), html);
        assertEquals(5, count(html, "<rect class=\"bar "));
        assertEquals(4, count(html, "<figure class=\"chart\""));
        assertSelfContained(html);

        // an earlier apply by its id: the first one created the fleets, and rolled none
        ApplyRecord first = engine.history(stack, Optional.empty(), 10).get(1);
        CliRun earlier = CliRun.of("history", stack.toString(), "--format", "html", "--apply", first.applyId());
        assertEquals(ExitCode.OK, earlier.exitCode(), earlier.err());
        assertEquals(6, count(earlier.out(), "<rect class=\"bar "), "2 bakes and 4 creates");
        assertTrue(earlier.out().contains("No fleet rolls."), earlier.out());

        CliRun unknown = CliRun.of("history", stack.toString(), "--format", "html", "--apply", "feedbeef");
        assertEquals(ExitCode.ERRORS, unknown.exitCode());
        assertTrue(unknown.err().contains("no apply feedbeef in the history"), unknown.err());
        assertTrue(CliRun.of("history", temp.resolve("none").toString(), "--format", "html").err().contains("no applies yet"));
        assertEquals(ExitCode.USAGE, CliRun.of("history", stack.toString(), "-o", page.toString()).exitCode());
    }

    @Test
    void withoutARehearsalTheReportShowsThePlansEstimate() throws Exception {
        Path stack = Reports.showcase(temp, null);
        CliRun plan = CliRun.of("plan", stack.toString(), "--format", "html", "-var", "app_version=1.5.0");
        assertEquals(ExitCode.OK, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("timeline estimated from the plan"), plan.out());
        assertEquals(5, count(plan.out(), "<rect class=\"bar "));
        assertTrue(plan.out().contains("Capacity over time comes from a rehearsal"), plan.out());
        assertTrue(plan.out().contains("50m</b> in all"), "the plan's own estimate: " + plan.out());
    }

    @Test
    void thePullRequestPreviewLinksToTheReportWrittenBesideIt() throws Exception {
        Path stack = Reports.showcase(temp, null);
        Path report = temp.resolve("report.html");
        Path saved = temp.resolve("plan.json");
        CliRun plan = CliRun.of("plan", stack.toString(), "--format", "markdown", "--rehearse", "-var", "app_version=1.5.0",
                "--report", report.toString(), "--report-url", "https://ci.example/runs/7/report.html", "-out", saved.toString());
        assertEquals(ExitCode.OK, plan.exitCode(), plan.err());
        assertTrue(plan.out().startsWith("### imm plan: shop\n\n📊 [Timeline and capacity charts](https://ci.example/runs/7/report.html)"),
                plan.out());
        assertTrue(plan.out().contains("Rehearsal on a copy of the simulated cloud"), plan.out());
        String html = Files.readString(report);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("timeline rehearsed on a copy"), html);
        assertTrue(Files.exists(saved));
        assertEquals(ExitCode.USAGE, CliRun.of("plan", stack.toString(), "--report-url", "x").exitCode(),
                "the link belongs in the Markdown preview");
        assertEquals(ExitCode.USAGE, CliRun.of("plan", stack.toString(), "--format", "pdf").exitCode());

        // a file that cannot be written: said so, no stack trace
        Path nowhere = temp.resolve("no/such/dir/report.html");
        for (String[] args : List.of(new String[] {"plan", stack.toString(), "--format", "html", "-o", nowhere.toString()},
                new String[] {"plan", stack.toString(), "--report", nowhere.toString()},
                new String[] {"history", stack.toString(), "--format", "html", "-o", nowhere.toString()})) {
            CliRun failed = CliRun.of(args);
            assertEquals(ExitCode.ERRORS, failed.exitCode(), String.join(" ", args) + ": " + failed.err());
            assertTrue(failed.err().contains("cannot write " + nowhere + ": its directory does not exist"), failed.err());
            assertFalse(failed.err().contains("Exception") || failed.err().contains("bug"), failed.err());
        }
    }

    /** Nothing that a browser would fetch: no scripts, links, fonts, images or URLs at all. */
    static void assertSelfContained(String html) {
        for (String fetches : List.of("<script", "<link", "<img", "<iframe", "@import", "url(", "http://", "https://", "src=")) {
            assertFalse(html.contains(fetches), "the report must load nothing, but it has " + fetches);
        }
    }

    private static List<String> addresses(JsonNode timeline) {
        List<String> out = new java.util.ArrayList<>();
        timeline.get("steps").forEach(s -> out.add(s.get("address").asText()));
        return out;
    }

    private static List<String> kinds(JsonNode timeline, String address) {
        List<String> out = new java.util.ArrayList<>();
        timeline.get("steps").forEach(s -> {
            if (s.get("address").asText().equals(address)) {
                s.get("phases").forEach(p -> out.add(p.get("kind").asText()));
            }
        });
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
