package dev.imm.eval;

import dev.imm.model.Address;
import dev.imm.model.CheckSpec;
import dev.imm.model.ComponentSpec;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImageSpec;
import dev.imm.model.OutputSpec;
import dev.imm.model.ProvisionStep;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceSpec;
import dev.imm.value.Durations;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A stable text of everything a stack evaluated to: variables and locals of the stack, then every
 * component, image (with its bake hash), rollout, fleet, check and output, by address. Sensitive values
 * show as {@code (sensitive)}. Used by the language snippet tests and by the console.
 */
public final class EvaluationDump {
    private final StringBuilder out = new StringBuilder();

    private EvaluationDump() {
    }

    public static String of(Evaluation evaluation) {
        EvaluationDump d = new EvaluationDump();
        for (Map.Entry<String, Value> e : evaluation.values().entrySet()) {
            if (e.getKey().startsWith("var.") || e.getKey().startsWith("local.")) {
                d.out.append(e.getKey()).append(" = ").append(Values.render(e.getValue())).append('\n');
            }
        }
        DesiredState s = evaluation.desired();
        if (!s.provider().name().equals("sim") || !s.provider().settings().isEmpty()) {
            d.out.append("provider \"").append(s.provider().name()).append("\" ").append(Values.render(Value.MapVal.of(s.provider().settings()))).append('\n');
        }
        if (s.state().remote() != null || !s.state().branch().equals("main")) {
            d.out.append("state: git ").append(s.state().remote() == null ? "(local)" : s.state().remote())
                    .append(", branch ").append(s.state().branch()).append('\n');
        }
        s.components().values().forEach(d::component);
        s.images().values().forEach(d::image);
        s.rollouts().values().forEach(d::rollout);
        s.fleets().values().forEach(d::fleet);
        s.checks().forEach(d::check);
        s.outputs().values().forEach(d::output);
        s.pending().forEach((address, reason) -> d.out.append(address).append(": not decoded yet, ").append(reason).append('\n'));
        return d.out.toString();
    }

    private void component(ComponentSpec c) {
        out.append(c.address()).append(c.description().isEmpty() ? "" : "  # " + c.description()).append('\n');
        steps(c.steps());
    }

    private void steps(List<ProvisionStep> steps) {
        for (int i = 0; i < steps.size(); i++) {
            out.append("  step ").append(i + 1).append(": ");
            ProvisionStep step = steps.get(i);
            if (step instanceof ProvisionStep.Shell shell) {
                out.append("shell ");
                if (shell.inline() != null) {
                    out.append(Values.render(strings(shell.inline())));
                } else {
                    out.append("script ").append(shell.scriptPath()).append(" (sha256 ").append(shell.scriptSha256(), 0, 12).append(')');
                }
                if (!shell.env().isEmpty()) {
                    out.append(" env ").append(Values.render(Value.MapVal.of(shell.env())));
                }
            } else {
                ProvisionStep.FileUpload file = (ProvisionStep.FileUpload) step;
                out.append("file ").append(file.sourcePath()).append(" (sha256 ").append(file.sourceSha256(), 0, 12)
                        .append(") -> ").append(Values.quote(file.destination()));
            }
            out.append('\n');
        }
    }

    private static Value strings(List<String> items) {
        return new Value.ListVal(items.stream().<Value>map(Value.Str::new).toList());
    }

    private void image(ImageSpec i) {
        if (i.isContainer()) {
            container(i);
            return;
        }
        out.append(i.address()).append('\n');
        out.append("  source: ").append(source(i.source())).append('\n');
        out.append("  build: ").append(i.instanceType()).append(", timeout ").append(Durations.format(i.timeoutMillis())).append('\n');
        if (!i.components().isEmpty()) {
            out.append("  components: ").append(String.join(", ", i.components().stream().map(Address::toString).toList())).append('\n');
        }
        steps(i.steps());
        if (!i.tags().isEmpty()) {
            out.append("  tags: ").append(Values.render(stringMap(i.tags()))).append('\n');
        }
        if (!i.inputTags().isEmpty()) {
            out.append("  input_tags: ").append(Values.render(strings(i.inputTags()))).append('\n');
        }
        out.append("  keep: ").append(i.keep()).append('\n');
        out.append("  bake_hash: ").append(i.bakeHash() == null ? "(known at plan time)" : i.bakeHash()).append('\n');
    }

    private void container(ImageSpec i) {
        var c = i.container();
        out.append(i.address()).append('\n');
        out.append("  from: ").append(source(i.source())).append(", push_to ").append(c.pushTo()).append(", platform ")
                .append(c.platform()).append('\n');
        for (var layer : c.layers()) {
            out.append("  layer ").append(Values.quote(layer.name())).append('\n');
            for (var f : layer.files()) {
                out.append("    ").append(f.source()).append(" (sha256 ").append(f.sha256(), 0, 12).append(") -> ")
                        .append(f.target()).append(' ').append(f.mode()).append(' ').append(f.owner()).append('\n');
            }
        }
        out.append("  config: env ").append(Values.render(stringMap(c.env()))).append(", entrypoint ")
                .append(c.entrypoint() == null ? "(base)" : Values.render(strings(c.entrypoint()))).append(", cmd ")
                .append(c.cmd() == null ? "(base)" : Values.render(strings(c.cmd()))).append(", user ")
                .append(Values.quote(c.user())).append(", workdir ").append(Values.quote(c.workdir())).append('\n');
        if (!c.labels().isEmpty()) {
            out.append("  labels: ").append(Values.render(stringMap(c.labels()))).append('\n');
        }
        if (c.signingKey() != null) {
            out.append("  signed with sign_key (sensitive)\n");
        }
        var p = i.policy();
        if (!p.isEmpty()) {
            out.append("  policy:").append(p.maxAgeMillis() > 0 ? " max_age " + Durations.format(p.maxAgeMillis()) : "")
                    .append(p.requireSignature() ? " require_signature" : "").append(p.scan() != null ? " scan " + Values.quote(p.scan()) : "")
                    .append('\n');
        }
        out.append("  keep: ").append(i.keep()).append('\n');
        out.append("  bake_hash: ").append(i.bakeHash() == null ? "(known at plan time)" : i.bakeHash()).append('\n');
    }

    private static Value stringMap(Map<String, String> map) {
        java.util.TreeMap<String, Value> entries = new java.util.TreeMap<>();
        map.forEach((k, v) -> entries.put(k, new Value.Str(v)));
        return new Value.MapVal(entries);
    }

    private static String source(SourceSpec s) {
        if (s instanceof SourceSpec.ById id) {
            return "id " + id.id();
        }
        if (s instanceof SourceSpec.ByFilter f) {
            return "name_filter " + Values.quote(f.nameFilter()) + " owners " + Values.render(strings(f.owners()));
        }
        if (s instanceof SourceSpec.BySsmParameter p) {
            return "ssm_parameter " + Values.quote(p.parameter());
        }
        if (s instanceof SourceSpec.ByTag t) {
            return "tag " + t.reference() + " (allow_tag)";
        }
        return ((SourceSpec.Layered) s).image().kind() + " " + ((SourceSpec.Layered) s).image();
    }

    private void rollout(RolloutPolicy p) {
        out.append(p.address()).append(": ").append(p.strategy().spelling())
                .append(", min_healthy ").append(percent(p.minHealthy()))
                .append(", max_healthy ").append(percent(p.maxHealthy()))
                .append(", warmup ").append(Durations.format(p.warmupMillis()))
                .append(", on_failure ").append(p.onFailure().spelling());
        if (!p.steps().isEmpty()) {
            out.append(", steps [").append(String.join(", ", p.steps().stream().map(EvaluationDump::percent).toList())).append(']')
                    .append(", pause ").append(Durations.format(p.pauseMillis()));
        }
        if (p.bakeTimeMillis() > 0) {
            out.append(", bake_time ").append(Durations.format(p.bakeTimeMillis()));
        }
        if (p.strategy() == RolloutPolicy.Strategy.BLUE_GREEN) {
            out.append(", verify ").append(Durations.format(p.verifyMillis())).append(", drain ").append(Durations.format(p.drainMillis()));
        }
        if (!p.alarms().isEmpty()) {
            out.append(", alarms ").append(Values.render(strings(p.alarms())));
        }
        if (p.skipMatching()) {
            out.append(", skip_matching");
        }
        out.append('\n');
    }

    private static String percent(BigDecimal p) {
        return p.toPlainString() + "%";
    }

    private void fleet(FleetSpec f) {
        out.append(f.address()).append('\n');
        out.append("  image ").append(f.image()).append(", ").append(f.instanceType())
                .append(", min ").append(f.min()).append(", desired ").append(f.desired()).append(", max ").append(f.max()).append('\n');
        if (!f.subnets().isEmpty()) {
            out.append("  subnets: ").append(Values.render(strings(f.subnets()))).append('\n');
        }
        if (!f.securityGroups().isEmpty()) {
            out.append("  security_groups: ").append(Values.render(strings(f.securityGroups()))).append('\n');
        }
        if (f.iamProfile() != null) {
            out.append("  iam_profile: ").append(f.iamProfile()).append('\n');
        }
        if (!(f.userData() instanceof Value.Null)) {
            out.append("  user_data: ").append(Values.render(f.userData())).append('\n');
        }
        if (!f.targetGroups().isEmpty()) {
            out.append("  target_groups: ").append(Values.render(strings(f.targetGroups()))).append('\n');
        }
        out.append("  health: ").append(f.health().type()).append(", grace ").append(Durations.format(f.health().graceMillis())).append('\n');
        out.append("  rollout: ").append(f.rollout() == null ? "(provider default)" : f.rollout().toString()).append('\n');
        if (!f.tags().isEmpty()) {
            out.append("  tags: ").append(Values.render(Value.MapVal.of(f.tags()))).append('\n');
        }
        if (f.preventDestroy()) {
            out.append("  prevent_destroy\n");
        }
    }

    private void check(CheckSpec c) {
        out.append(c.address()).append(" (").append(c.severity().label()).append(")\n");
        for (CheckSpec.Assertion a : c.assertions()) {
            out.append("  ").append(a.outcome().name().toLowerCase(java.util.Locale.ROOT)).append(": ")
                    .append(Values.quote(a.message())).append('\n');
        }
    }

    private void output(OutputSpec o) {
        out.append(o.address()).append(" = ").append(Values.render(o.value()));
        if (!o.description().isEmpty()) {
            out.append("  # ").append(o.description());
        }
        out.append('\n');
    }
}
