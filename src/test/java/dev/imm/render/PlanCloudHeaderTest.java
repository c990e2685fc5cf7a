package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan for a real cloud names where it applies, in all three formats; a plan for the simulated cloud does not. */
class PlanCloudHeaderTest {
    private static final Plan SIM = new Plan("shop", null, "f".repeat(64), List.of(), List.of());
    private static final Plan AWS = SIM.withCloud("AWS account 123456789012, region eu-west-1");

    @Test
    void theTextPlanStartsWithTheCloud() {
        assertEquals("Cloud: AWS account 123456789012, region eu-west-1\n\nNo changes. The cloud matches the stack.\n",
                new PlanTextRenderer(false).render(AWS));
        assertFalse(new PlanTextRenderer(false).render(SIM).contains("Cloud:"));
    }

    @Test
    void theMarkdownPlanNamesTheCloudUnderItsTitle() {
        assertTrue(PlanMarkdownRenderer.render(AWS).startsWith("### imm plan: shop\n\nCloud: AWS account 123456789012, region eu-west-1\n\n"),
                PlanMarkdownRenderer.render(AWS));
        assertFalse(PlanMarkdownRenderer.render(SIM).contains("Cloud:"));
    }

    @Test
    void theJsonPlanHasACloudFieldAfterTheStack() {
        String json = PlanJsonRenderer.render(AWS);
        assertTrue(json.contains("\"stack\" : \"shop\",\n  \"cloud\" : \"AWS account 123456789012, region eu-west-1\",\n"), json);
        assertFalse(PlanJsonRenderer.render(SIM).contains("\"cloud\""));
    }
}
