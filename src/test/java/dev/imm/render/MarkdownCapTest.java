package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.eval.EvalTestSupport;
import dev.imm.model.DesiredState;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.PlanInputs;
import dev.imm.provider.LiveState;
import dev.imm.state.RecordedState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A plan of 2,000 fleets still fits a pull-request comment, with its summary and callouts intact. */
class MarkdownCapTest {

    @Test
    void twoThousandFleetsStayUnderTheCommentLimitWithTheSummary() {
        StringBuilder stack = new StringBuilder("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n}\n");
        for (int i = 0; i < 2000; i++) {
            stack.append("fleet \"web").append(i).append("\" {\n  image = image.app\n  instance_type = \"t3.small\"\n")
                    .append("  min = 1\n  max = 2\n}\n");
        }
        DesiredState desired = EvalTestSupport.evaluate(stack.toString());
        Plan plan = Differ.plan(new PlanInputs("big", desired, RecordedState.empty("l"), Optional.empty(),
                new LiveState(List.of(), List.of()), h -> Optional.empty(), Set.of(), Set.of()));
        String markdown = PlanMarkdownRenderer.render(plan);
        assertTrue(markdown.length() < 65_536, "length " + markdown.length());
        assertTrue(markdown.contains("**Plan:** 1 to bake, 0 to roll, 2000 to create, 0 to update, 0 to destroy."), markdown.substring(0, 400));
        assertTrue(markdown.contains("| create | new-fleet | 2000 |"), "every change is counted in the summary");
        assertTrue(markdown.contains("| bake | new-image | 1 |"), "every change is counted in the summary");
        assertTrue(markdown.contains("grouped by action and reason"), "the grouping is said");
        dev.imm.testing.Snapshots.assertMatches(java.nio.file.Path.of("src/test/resources/render/plan-2000-fleets.md"), markdown);
        assertTrue(!markdown.contains("<details>") || markdown.contains("more changes were left out"),
                "details give way first");
    }
}
