package dev.imm.plan;

import dev.imm.model.DesiredState;
import dev.imm.model.ImagePolicy;
import dev.imm.model.ImageSpec;
import dev.imm.model.PolicyCheck;
import dev.imm.provider.Provider;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import dev.imm.value.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy checks of a plan's images (docs/containers.md), image by image in address order: a base that
 * follows a tag ({@code pinned}, flagged), the age of the version fleets will run ({@code age}, from the
 * state), and for container images their signature and scan, asked of the registry and the user's
 * scanner. An image the plan bakes is checked by the apply, right after the bake and before any fleet
 * rolls to it: its signature and scan are {@code pending} here.
 */
public final class ImageChecks {
    private ImageChecks() {
    }

    public static List<PolicyCheck> of(Plan plan, DesiredState desired, RecordedState recorded, Provider provider) {
        List<PolicyCheck> found = new ArrayList<>();
        for (ResourceChange change : plan.changes()) {
            ImageSpec spec = desired.images().get(change.address());
            if (spec == null || (change.action() != Action.BAKE && change.action() != Action.NO_OP)) {
                continue;
            }
            ImagePolicy policy = spec.policy();
            String imageId = imageId(change, recorded);
            if (spec.isContainer() && !spec.container().fromTag().isEmpty()) {
                found.add(new PolicyCheck(spec.address(), imageId, "pinned", PolicyCheck.Verdict.FLAGGED,
                        "from follows the tag " + spec.container().fromTag() + " (allow_tag = true): the base can change"
                                + " under the same configuration"));
            }
            if (change.action() == Action.BAKE) {
                if (policy.requireSignature()) {
                    found.add(pending(spec, "signature"));
                }
                if (policy.scan() != null) {
                    found.add(pending(spec, "scan"));
                }
                continue;
            }
            if (imageId == null) {
                continue;
            }
            if (policy.maxAgeMillis() > 0) {
                found.add(age(spec, imageId, recorded, provider));
            }
            found.addAll(provider.check(spec.address(), imageId, policy));
        }
        return found;
    }

    /** The version fleets will run after the plan: one reused from the cloud, or the one recorded. */
    private static String imageId(ResourceChange change, RecordedState recorded) {
        if (change.action() == Action.BAKE) {
            return "";
        }
        if (!change.reasons().isEmpty() && change.reasons().get(0).code().equals("already-baked")) {
            return change.reasons().get(0).after();
        }
        ImageRecord record = recorded.images().get(change.address());
        return record == null || record.current() == null ? null : record.current().imageId();
    }

    private static PolicyCheck pending(ImageSpec spec, String check) {
        return new PolicyCheck(spec.address(), "", check, PolicyCheck.Verdict.PENDING,
                "checked by the apply after the bake, before any fleet rolls to it");
    }

    private static PolicyCheck age(ImageSpec spec, String imageId, RecordedState recorded, Provider provider) {
        ImageRecord record = recorded.images().get(spec.address());
        ImageVersion version = record == null ? null
                : record.versions().stream().filter(v -> v.imageId().equals(imageId)).findFirst().orElse(null);
        String limit = "max_age " + Durations.format(spec.policy().maxAgeMillis());
        if (version == null || version.bakedAtMillis() <= 0) {
            return new PolicyCheck(spec.address(), imageId, "age", PolicyCheck.Verdict.FAILED,
                    "the state does not say when " + imageId + " was baked, so its age against " + limit + " is unknown;"
                            + " a new bake records it");
        }
        // a container's bake time is the registry's (real) clock; a machine image's, the cloud's
        long now = spec.isContainer() ? System.currentTimeMillis() : provider.now();
        String baked = "baked " + Instant.ofEpochMilli(version.bakedAtMillis()).toString().replaceFirst(":\\d\\d(\\.\\d+)?Z$", "Z");
        if (now - version.bakedAtMillis() > spec.policy().maxAgeMillis()) {
            return new PolicyCheck(spec.address(), imageId, "age", PolicyCheck.Verdict.FAILED,
                    baked + ", older than " + limit + ": bake a new version (from a newer base, say)");
        }
        return new PolicyCheck(spec.address(), imageId, "age", PolicyCheck.Verdict.PASSED, baked + ", within " + limit);
    }
}
