package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imm.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened in a real browser (headless Chromium, {@link HeadlessChromium}), and checked
 * as it is laid out on the page: one bar per step of the plan, each visible; each capacity chart's
 * min_healthy floor drawn at the level the chart's own axis labels as the policy's min_healthy (in
 * instances, worked out here from the policy's percentage), the healthy line never below it, and the
 * faults and the rollback marked. Screenshots go to {@code target/reports/}.
 */
class ReportBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target/reports");
    private static HeadlessChromium browser;

    @TempDir
    Path temp;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start(1200, 900);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    /** Per chart: its address, floor value, and the page positions of its floor, grid and labels. */
    private static final String CHARTS = """
            const mid = e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; };
            return [...document.querySelectorAll('figure.chart')].map(f => {
              const floor = f.querySelector('line.floor');
              const desired = f.querySelector('line.desired');
              const value = floor.dataset.value;
              const grid = f.querySelector('line.grid[data-value="' + value + '"]');
              const label = [...f.querySelectorAll('text.value-label')].find(t => t.textContent === value);
              const healthy = f.querySelector('polyline.healthy').getBoundingClientRect();
              return { address: f.dataset.address, floor: Number(value), floorY: mid(floor), gridY: mid(grid),
                       labelY: label ? mid(label) : null, desiredY: mid(desired), desired: Number(desired.dataset.value),
                       healthyBottom: healthy.bottom, healthyWidth: healthy.width,
                       faults: f.querySelectorAll('line.fault-mark').length, rollbacks: f.querySelectorAll('line.rollback-mark').length };
            });
            """;

    private static final String BARS = """
            const bars = [...document.querySelectorAll('svg.gantt rect.bar')];
            return { count: bars.length, visible: bars.filter(b => b.getBoundingClientRect().width >= 1.5).length,
                     steps: [...document.querySelectorAll('svg.gantt g.step')].map(g => g.dataset.address),
                     critical: document.querySelectorAll('svg.gantt rect.bar.critical').length,
                     phases: document.querySelectorAll('svg.gantt rect.phase').length };
            """;

    @Test
    void theShowcasesReportHasABarPerStepAndEachFloorAtMinHealthy() throws Exception {
        Path stack = Reports.showcase(temp, null);
        Path page = temp.resolve("showcase.html");
        Reports.rehearsedReport(stack, page, "-var", "app_version=1.5.0");
        browser.open(page);

        JsonNode bars = browser.script(BARS);
        CliRun plan = CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0");
        int steps = (int) plan.out().lines().filter(l -> l.matches("  \\S+ (image|fleet)\\.\\S+ (will|has) .*")).count();
        assertEquals(5, steps, plan.out());
        assertEquals(steps, bars.get("count").asInt(), "one bar per step: " + bars);
        assertEquals(steps, bars.get("visible").asInt(), "every bar is drawn: " + bars);
        assertEquals(2, bars.get("critical").asInt(), "image.app → fleet.web: " + bars);
        assertEquals(5, bars.get("phases").asInt(), "three canary pauses, a verify and a drain: " + bars);

        // the policies' min_healthy (web: canary 100% of 4; the workers: careful 90% of 2; admin: blue/green 100% of 2)
        assertFloors(browser.script(CHARTS), Map.of("fleet.web", percentOf(4, 100), "fleet.worker[\"eu\"]", percentOf(2, 90),
                "fleet.worker[\"us\"]", percentOf(2, 90), "fleet.admin", percentOf(2, 100)));
        browser.screenshot(SCREENSHOTS.resolve("showcase.png"));
        assertTrue(Files.size(SCREENSHOTS.resolve("showcase.png")) > 10_000);
    }

    @Test
    void aFloorBelowDesiredSitsWhereTheAxisSaysAndHealthyCapacityStaysAboveIt() throws Exception {
        Path stack = Reports.quickstartChanged(temp);
        Path page = temp.resolve("quickstart.html");
        Reports.rehearsedReport(stack, page);
        browser.open(page);
        assertEquals(2, browser.script(BARS).get("count").asInt(), "image.web and fleet.web");
        JsonNode charts = browser.script(CHARTS);
        // rollout.rolling: min_healthy 75% of 4 = 3
        assertFloors(charts, Map.of("fleet.web", percentOf(4, 75)));
        JsonNode web = charts.get(0);
        assertEquals(4, web.get("desired").asInt());
        assertTrue(web.get("floorY").asDouble() > web.get("desiredY").asDouble() + 10, "the floor is drawn below desired: " + web);
        browser.screenshot(SCREENSHOTS.resolve("quickstart.png"));
    }

    @Test
    void aRollbackShowsWhereTheFaultFiredAndTheRollbackBegan() throws Exception {
        Path stack = Reports.showcase(temp, "fault \"alarm\" { name = \"shop-5xx-rate\"  at = 30% }");
        Path page = temp.resolve("rollback.html");
        Reports.rehearsedReport(stack, page, "-var", "app_version=1.5.0");
        browser.open(page);
        JsonNode charts = browser.script(CHARTS);
        for (JsonNode chart : charts) {
            boolean web = chart.get("address").asText().equals("fleet.web");
            assertEquals(web ? 1 : 0, chart.get("faults").asInt(), chart.toString());
            assertEquals(web ? 1 : 0, chart.get("rollbacks").asInt(), chart.toString());
        }
        JsonNode marks = browser.script("""
                const chart = document.querySelector('figure.chart[data-address="fleet.web"]');
                const x = s => chart.querySelector(s).getBoundingClientRect().left;
                return { fault: x('line.fault-mark'), rollback: x('line.rollback-mark'), band: x('rect.band.rollback'),
                         diamond: document.querySelectorAll('svg.gantt path.fault').length };
                """);
        assertEquals(marks.get("fault").asDouble(), marks.get("rollback").asDouble(), 1.0,
                "the rollback begins when the alarm fires: " + marks);
        assertEquals(marks.get("rollback").asDouble(), marks.get("band").asDouble(), 1.0, marks.toString());
        assertEquals(1, marks.get("diamond").asInt(), "the fault on the timeline: " + marks);
        browser.screenshot(SCREENSHOTS.resolve("showcase-rollback.png"));
    }

    /** {@code percent}% of {@code desired}, rounded up: the instances min_healthy keeps healthy. */
    private static int percentOf(int desired, int percent) {
        return (desired * percent + 99) / 100;
    }

    private static void assertFloors(JsonNode charts, Map<String, Integer> expected) {
        assertEquals(expected.size(), charts.size(), charts.toString());
        for (JsonNode chart : charts) {
            String address = chart.get("address").asText();
            assertEquals(expected.get(address), chart.get("floor").asInt(), address + ": the floor is the policy's min_healthy");
            double floorY = chart.get("floorY").asDouble();
            assertEquals(chart.get("gridY").asDouble(), floorY, 0.75, address + ": the floor sits on the gridline of its value: " + chart);
            assertTrue(!chart.get("labelY").isNull() && Math.abs(chart.get("labelY").asDouble() - floorY) < 8,
                    address + ": the axis label of that value is beside the floor: " + chart);
            assertTrue(chart.get("healthyWidth").asDouble() > 100, address + ": the healthy line spans the roll: " + chart);
            assertTrue(chart.get("healthyBottom").asDouble() <= floorY + 1.5,
                    address + ": healthy capacity never went below the floor: " + chart);
        }
    }
}
