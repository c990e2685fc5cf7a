package dev.imm.engine;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.ProviderConfig;
import dev.imm.provider.Provider;
import dev.imm.provider.aws.AwsProvider;
import dev.imm.provider.aws.AwsSettings;
import dev.imm.provider.sim.SimProvider;
import dev.imm.value.Value;
import java.util.Map;
import java.util.TreeMap;

/** Makes the provider a stack's {@code provider} block names (the simulated cloud when there is none). */
final class Providers {
    private Providers() {
    }

    /** Testing crash recovery on AWS: the process halts when an operation reaches this point (docs/aws.md). */
    static final String AWS_CRASH_AT = "IMM_AWS_CRASH_AT";

    /** The provider, or null when it is not available in this build (the reason is then in {@code why}). */
    static Provider create(ProviderConfig config, Stack stack, StringBuilder why) {
        if (config.name().equals("sim")) {
            Value seed = config.settings().get("seed");
            long n = seed instanceof Value.Num num ? num.value().longValue() : 0;
            SimProvider sim = new SimProvider(stack.simulatedCloud(), n, config.faults());
            CrashPoints crashPoints = CrashPoints.ofProcess(why);
            if (crashPoints == null) {
                return null;
            }
            if (crashPoints.active()) {
                sim.crashAt(crashPoints::halts, crashPoints::halt);
            }
            return sim;
        }
        if (config.name().equals("aws")) {
            return aws(config, why);
        }
        why.append("the \"").append(config.name()).append("\" provider cannot plan or apply in this version of imm");
        return null;
    }

    /** The AWS provider for a {@code provider "aws"} block; null (with why) when a setting cannot be used. */
    private static Provider aws(ProviderConfig config, StringBuilder why) {
        String region = text(config, "region");
        String profile = text(config, "profile");
        String endpoint = text(config, "endpoint");
        java.net.URI uri = null;
        if (endpoint != null) {
            try {
                uri = new java.net.URI(endpoint);
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
                why.append("endpoint \"").append(endpoint).append("\" of provider \"aws\" is not a URL such as http://127.0.0.1:5000");
                return null;
            }
        }
        Value poll = config.settings().get("poll_interval");
        java.time.Duration interval = poll instanceof Value.Duration d ? java.time.Duration.ofMillis(d.millis()) : null;
        AwsProvider aws = new AwsProvider(new AwsSettings(region, profile, uri, interval));
        String crashAt = System.getenv(AWS_CRASH_AT);
        if (crashAt != null && !crashAt.isBlank()) {
            aws.crashAt(crashAt.trim(), () -> {
                System.err.println("imm: halting at " + crashAt.trim() + " (" + AWS_CRASH_AT + ")");
                System.err.flush();
                Runtime.getRuntime().halt(137);
            });
        }
        return aws;
    }

    private static String text(ProviderConfig config, String name) {
        Value v = config.settings().get(name);
        return v instanceof Value.Str s && !s.value().isBlank() ? s.value() : null;
    }

    /**
     * Tells the provider the images as the stack declares them now: the simulated cloud's faults strike
     * the declared version of an image, by bake hash.
     */
    static void declare(Provider provider, DesiredState desired) {
        if (provider instanceof SimProvider sim) {
            Map<Address, String> hashes = new TreeMap<>();
            desired.images().forEach((address, image) -> {
                if (image.bakeHash() != null) {
                    hashes.put(address, image.bakeHash());
                }
            });
            sim.declareImages(hashes);
        }
    }
}
