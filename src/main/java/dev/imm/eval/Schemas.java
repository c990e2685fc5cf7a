package dev.imm.eval;

import dev.imm.value.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/** The schema of every block type of LANGUAGE.md §4; docs/language.md lists the same table for users. */
public final class Schemas {
    public static final Type COMPONENT = new Type.Ref("component");
    public static final Type IMAGE = new Type.Ref("image");
    public static final Type ROLLOUT = new Type.Ref("rollout");
    public static final Type CONTAINER = new Type.Ref("container");
    static final Type STRINGS = new Type.ListOf(Type.STRING);

    public static final Schema SHELL = Schema.block("provision", "shell")
            .optional("inline", STRINGS)
            .optional("script", Type.STRING)
            .optional("env", new Type.MapOf(Type.STRING))
            .build();

    public static final Schema FILE = Schema.block("provision", "file")
            .required("source", Type.STRING)
            .required("destination", Type.STRING)
            .build();

    /** {@code provision "shell"} and {@code provision "file"}; the label picks the schema. */
    static final Schema PROVISION = Schema.block("provision", "kind").anyAttributes().build();

    static final Schema VALIDATION = Schema.block("validation")
            .required("condition", Type.BOOL)
            .required("message", Type.STRING)
            .build();

    public static final Schema VARIABLE = Schema.block("variable", "name")
            .optional("type", Type.ANY)
            .optional("default", Type.ANY)
            .optional("description", Type.STRING)
            .optional("sensitive", Type.BOOL)
            .many(VALIDATION)
            .build();

    public static final Schema LOCALS = Schema.block("locals").anyAttributes().build();

    /** {@code fault "KIND"} in {@code provider "sim"}; the label picks one of the schemas below. */
    static final Schema FAULT = Schema.block("fault", "kind").anyAttributes().build();

    /** The schema of each fault kind (docs/faults.md), by label. */
    public static final Map<String, Schema> FAULTS = Map.of(
            "unhealthy", Schema.block("fault", "kind").required("image", IMAGE).optional("seed", Type.NUMBER).build(),
            "bake_fails", Schema.block("fault", "kind").required("image", IMAGE).optional("seed", Type.NUMBER).build(),
            "alarm", Schema.block("fault", "kind").required("name", Type.STRING).required("at", Type.PERCENT)
                    .optional("seed", Type.NUMBER).build(),
            "api_errors", Schema.block("fault", "kind").required("rate", Type.PERCENT).optional("seed", Type.NUMBER).build(),
            "instance_dies", Schema.block("fault", "kind").required("rate", Type.PERCENT).optional("seed", Type.NUMBER).build());

    public static final Schema PROVIDER_SIM = Schema.block("provider", "name")
            .optional("seed", Type.NUMBER)
            .many(FAULT)
            .build();

    public static final Schema PROVIDER_AWS = Schema.block("provider", "name")
            .optional("region", Type.STRING)
            .optional("profile", Type.STRING)
            .optional("endpoint", Type.STRING)
            .optional("poll_interval", Type.DURATION)
            .build();

    /** The schema of {@code provider "NAME"}, or null for a provider imm does not know. */
    public static Schema provider(String name) {
        return name.equals("aws") ? PROVIDER_AWS : name.equals("sim") ? PROVIDER_SIM : null;
    }

    public static final Schema STATE = Schema.block("state")
            .optional("git", Type.STRING)
            .optional("branch", Type.STRING)
            .build();

    public static final Schema COMPONENT_BLOCK = Schema.block("component", "name")
            .optional("description", Type.STRING)
            .many(PROVISION)
            .build();

    static final Schema SOURCE = Schema.block("source")
            .optional("id", Type.STRING)
            .optional("name_filter", Type.STRING)
            .optional("owners", STRINGS)
            .optional("ssm_parameter", Type.STRING)
            .optional("image", IMAGE)
            .build();

    static final Schema BUILD = Schema.block("build")
            .optional("instance_type", Type.STRING)
            .optional("timeout", Type.DURATION)
            .optional("subnet", Type.STRING)
            .optional("security_groups", STRINGS)
            .optional("iam_instance_profile", Type.STRING)
            .build();

    /** What an image must satisfy before a fleet runs it (docs/containers.md). */
    static final Schema POLICY = Schema.block("policy")
            .optional("max_age", Type.DURATION)
            .optional("require_signature", Type.BOOL)
            .optional("public_key", Type.STRING)
            .optional("scan", Type.STRING)
            .build();

    public static final Schema IMAGE_BLOCK = Schema.block("image", "name")
            .optional("description", Type.STRING)
            .optional("components", new Type.ListOf(COMPONENT))
            .optional("tags", new Type.MapOf(Type.STRING))
            .optional("input_tags", STRINGS)
            .optional("keep", Type.NUMBER)
            .optional("source", Type.OBJECT)
            .one(SOURCE)
            .one(BUILD)
            .one(POLICY)
            .many(PROVISION)
            .build();

    static final Schema COPY = Schema.block("copy")
            .required("source", Type.STRING)
            .required("target", Type.STRING)
            .optional("mode", Type.STRING)
            .optional("owner", Type.STRING)
            .build();

    static final Schema LAYER = Schema.block("layer", "name")
            .many(COPY)
            .build();

    public static final Schema CONTAINER_BLOCK = Schema.block("container", "name")
            .optional("description", Type.STRING)
            .required("from", Type.ANY)
            .optional("allow_tag", Type.BOOL)
            .required("push_to", Type.STRING)
            .optional("platform", Type.STRING)
            .optional("env", new Type.MapOf(Type.STRING))
            .optional("entrypoint", STRINGS)
            .optional("cmd", STRINGS)
            .optional("user", Type.STRING)
            .optional("workdir", Type.STRING)
            .optional("labels", new Type.MapOf(Type.STRING))
            .optional("keep", Type.NUMBER)
            .optional("sign_key", Type.STRING)
            .many(LAYER)
            .one(POLICY)
            .build();

    public static final Schema ROLLOUT_BLOCK = Schema.block("rollout", "name")
            .optional("description", Type.STRING)
            .optional("extends", ROLLOUT)
            .optional("strategy", Type.STRING)
            .optional("min_healthy", Type.PERCENT)
            .optional("max_healthy", Type.PERCENT)
            .optional("warmup", Type.DURATION)
            .optional("on_failure", Type.STRING)
            .optional("steps", new Type.ListOf(Type.PERCENT))
            .optional("pause", Type.DURATION)
            .optional("alarms", STRINGS)
            .optional("bake_time", Type.DURATION)
            .optional("verify", Type.DURATION)
            .optional("drain", Type.DURATION)
            .optional("step_timeout", Type.DURATION)
            .optional("skip_matching", Type.BOOL)
            .build();

    static final Schema HEALTH = Schema.block("health")
            .optional("type", Type.STRING)
            .optional("grace", Type.DURATION)
            .build();

    public static final Schema FLEET = Schema.block("fleet", "name")
            .optional("description", Type.STRING)
            .optional("for_each", Type.ANY)
            .required("image", IMAGE)
            .required("instance_type", Type.STRING)
            .required("min", Type.NUMBER)
            .required("max", Type.NUMBER)
            .optional("desired", Type.NUMBER)
            .optional("subnets", STRINGS)
            .optional("security_groups", STRINGS)
            .optional("iam_profile", Type.STRING)
            .optional("user_data", Type.STRING)
            .optional("target_groups", STRINGS)
            .optional("rollout", ROLLOUT)
            .optional("tags", new Type.MapOf(Type.STRING))
            .optional("prevent_destroy", Type.BOOL)
            .one(HEALTH)
            .build();

    static final Schema ASSERT = Schema.block("assert")
            .required("condition", Type.BOOL)
            .required("message", Type.STRING)
            .build();

    public static final Schema CHECK = Schema.block("check", "name")
            .optional("severity", Type.STRING)
            .many(ASSERT)
            .build();

    public static final Schema OUTPUT = Schema.block("output", "name")
            .required("value", Type.ANY)
            .optional("description", Type.STRING)
            .optional("sensitive", Type.BOOL)
            .build();

    /** Top-level block types of a stack, by type. */
    public static final Map<String, Schema> TOP_LEVEL = topLevel();

    /** Block types an imported file may declare: what it shares, not what it runs. */
    public static final java.util.Set<String> IMPORTABLE = java.util.Set.of("component", "rollout", "locals");

    private Schemas() {
    }

    private static Map<String, Schema> topLevel() {
        Map<String, Schema> all = new LinkedHashMap<>();
        for (Schema s : new Schema[] {VARIABLE, LOCALS, STATE, COMPONENT_BLOCK, IMAGE_BLOCK, CONTAINER_BLOCK, ROLLOUT_BLOCK, FLEET,
                CHECK, OUTPUT}) {
            all.put(s.type(), s);
        }
        all.put("provider", PROVIDER_SIM);
        return java.util.Collections.unmodifiableMap(all);
    }
}
