package dev.imm.plan;

import dev.imm.model.PolicyCheck;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A computed plan, plain data: the state revision and live-state fingerprint it was made against, every
 * resource change in a stable order (images first, each after the image it is layered on, then fleets by
 * address, retirements last), and
 * problems that stop it from being applied (a refused destroy, a failed check), and how long the whole
 * apply is expected to take ({@code estimate}, null when nothing changes). Renderers turn it into
 * text, Markdown or JSON; the executor carries it out.
 */
public record Plan(String stack, String stateRevision, String liveFingerprint, List<ResourceChange> changes,
                   List<String> blockers, String cloud, ApplyEstimate estimate, List<PolicyCheck> checks) {
    public static final int FORMAT_VERSION = 1;

    public Plan {
        changes = List.copyOf(changes);
        blockers = List.copyOf(blockers);
        cloud = cloud == null ? "" : cloud;
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public Plan(String stack, String stateRevision, String liveFingerprint, List<ResourceChange> changes,
                List<String> blockers, String cloud, ApplyEstimate estimate) {
        this(stack, stateRevision, liveFingerprint, changes, blockers, cloud, estimate, List.of());
    }

    /**
     * The plan with the policy checks of its images (docs/containers.md); a failed check is also a
     * blocker, so the plan cannot be applied.
     */
    public Plan withChecks(List<PolicyCheck> found) {
        List<String> all = new java.util.ArrayList<>(blockers);
        for (PolicyCheck c : found) {
            if (c.failed()) {
                all.add(c.image() + " fails its policy: " + c.check() + ": " + c.detail());
            }
        }
        return new Plan(stack, stateRevision, liveFingerprint, changes, all, cloud, estimate, found);
    }

    /** A plan for the simulated cloud, whose plans name no account. */
    public Plan(String stack, String stateRevision, String liveFingerprint, List<ResourceChange> changes,
                List<String> blockers) {
        this(stack, stateRevision, liveFingerprint, changes, blockers, "", null);
    }

    /**
     * The plan, naming where it applies ({@code AWS account 123456789012, region eu-west-1}); plans for
     * the simulated cloud leave it empty, and renderers then print no such line.
     */
    public Plan withCloud(String cloud) {
        return new Plan(stack, stateRevision, liveFingerprint, changes, blockers, cloud, estimate, checks);
    }

    /** The plan, with how long its apply is expected to take. */
    public Plan withEstimate(ApplyEstimate estimate) {
        return new Plan(stack, stateRevision, liveFingerprint, changes, blockers, cloud, estimate, checks);
    }

    /** Whether anything would change. */
    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action() != Action.NO_OP);
    }

    /** How many changes of each action, in the order of {@link Action}. */
    public Map<Action, Integer> counts() {
        Map<Action, Integer> counts = new TreeMap<>();
        for (Action a : Action.values()) {
            counts.put(a, 0);
        }
        for (ResourceChange c : changes) {
            counts.merge(c.action(), 1, Integer::sum);
        }
        return counts;
    }

    /** Instances that rolls replace, summed. */
    public int instancesReplaced() {
        return changes.stream().filter(c -> c.estimate() != null).mapToInt(c -> c.estimate().instances()).sum();
    }
}
