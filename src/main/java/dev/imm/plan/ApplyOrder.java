package dev.imm.plan;

import dev.imm.model.DesiredState;
import dev.imm.model.ImageLayers;
import dev.imm.model.ImageSpec;
import dev.imm.model.SourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order an apply runs a plan's steps in, which the executor follows and the plan's time estimate
 * schedules: bakes first, each image after the one it is layered on; then the fleets, each needing its
 * image's bake and starting once every bake has ended (the stack is evaluated again with the new image
 * ids); then retirements, after everything else.
 */
public final class ApplyOrder {
    /**
     * A step, the steps whose success it needs ({@code dependsOn}), and the steps it only runs after
     * ({@code waitsFor}: an unrelated bake that failed does not stop a fleet).
     */
    public record Step(ResourceChange change, List<ResourceChange> dependsOn, List<ResourceChange> waitsFor) {
        public Step {
            dependsOn = List.copyOf(dependsOn);
            waitsFor = List.copyOf(waitsFor);
        }

        /** Every step this one starts after. */
        public List<ResourceChange> after() {
            List<ResourceChange> all = new ArrayList<>(dependsOn);
            all.addAll(waitsFor);
            return all;
        }
    }

    private ApplyOrder() {
    }

    /** The steps of {@code plan}, in the order they may start. */
    public static List<Step> of(Plan plan, DesiredState desired) {
        Map<dev.imm.model.Address, ResourceChange> bakes = new LinkedHashMap<>();
        for (ResourceChange change : plan.changes()) {
            boolean reuse = change.action() == Action.NO_OP && !change.reasons().isEmpty()
                    && change.reasons().get(0).code().equals("already-baked");
            if (change.action() == Action.BAKE || reuse) {
                bakes.put(change.address(), change);
            }
        }
        List<Step> steps = new ArrayList<>();
        for (ImageSpec spec : ImageLayers.parentsFirst(desired.images().values())) {
            ResourceChange change = bakes.get(spec.address());
            if (change == null) {
                continue;
            }
            List<ResourceChange> deps = new ArrayList<>();
            if (spec.source() instanceof SourceSpec.Layered l && bakes.containsKey(l.image())) {
                deps.add(bakes.get(l.image()));
            }
            steps.add(new Step(change, deps, List.of()));
        }
        List<ResourceChange> notRetirements = new ArrayList<>(bakes.values());
        for (ResourceChange change : plan.changes()) {
            Action a = change.action();
            if (a == Action.CREATE || a == Action.UPDATE || a == Action.ROLL || a == Action.REPLACE || a == Action.DESTROY) {
                var spec = desired.fleets().get(change.address());
                List<ResourceChange> deps = new ArrayList<>();
                if (spec != null && bakes.containsKey(spec.image())) {
                    deps.add(bakes.get(spec.image()));
                }
                if (spec != null) {
                    // a container the fleet runs must be baked, and pass its policy, before the fleet rolls to it
                    spec.containers().stream().filter(bakes::containsKey).forEach(c -> deps.add(bakes.get(c)));
                }
                steps.add(new Step(change, deps, List.copyOf(bakes.values())));
                notRetirements.add(change);
            }
        }
        for (ResourceChange change : plan.changes()) {
            if (change.action() == Action.RETIRE) {
                steps.add(new Step(change, notRetirements, List.of()));
            }
        }
        return steps;
    }
}
