package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.ResourceChange;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll left under way goes on under the policy it started with, which the cloud keeps: the plan's
 * estimate for carrying it on does not change when the stack's policy has changed since.
 */
class ResumedRollEstimateTest {
    @TempDir
    Path dir;

    private static String stack(String step, String pause) {
        return """
                image "app" {
                  source { id = "ami-0123456789abcdef0" }
                  provision "shell" { inline = ["%s"] }
                }

                rollout "careful" {
                  strategy = "canary"
                  steps    = [25%%, 100%%]
                  pause    = %s
                  warmup   = 1m
                }

                fleet "web" {
                  image         = image.app
                  instance_type = "t3.small"
                  min           = 2
                  max           = 8
                  desired       = 4
                  rollout       = rollout.careful
                }
                """.formatted(step, pause);
    }

    private static ResourceChange web(Plan plan) {
        return plan.changes().stream().filter(c -> c.address().toString().equals("fleet.web")).findFirst().orElseThrow();
    }

    @Test
    void theEstimateOfACarriedOnRollUsesThePolicyItStartedWith() throws Exception {
        RolloutHarness harness = new RolloutHarness(dir, 7);
        harness.apply(stack("echo v1", "10m"));
        harness.crashAt(1, () -> false);
        assertNull(harness.apply(stack("echo v2", "10m")), "the apply crashed inside the canary");

        ResourceChange asStarted = web(harness.plan(stack("echo v2", "10m")));
        ResourceChange policyChanged = web(harness.plan(stack("echo v2", "1m")));
        assertEquals(Differ.RESUME_ROLL, asStarted.reasons().get(0).code(), asStarted::toString);
        assertEquals(Differ.RESUME_ROLL, policyChanged.reasons().get(0).code(), policyChanged::toString);
        assertEquals(asStarted.estimate(), policyChanged.estimate(), "the cloud's policy, not the stack's, sizes the estimate");

        // a roll that starts from scratch uses the stack's policy: the pause makes a difference there
        RolloutHarness fresh = new RolloutHarness(dir.resolve("fresh"), 7);
        fresh.apply(stack("echo v1", "10m"));
        assertNotEquals(web(fresh.plan(stack("echo v2", "10m"))).estimate(), web(fresh.plan(stack("echo v2", "1m"))).estimate());
    }
}
