package dev.imm.engine;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.ImageSpec;
import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import dev.imm.provider.ContainerRegistry;
import dev.imm.provider.WithContainers;
import dev.imm.provider.oci.OciRegistry;
import java.util.ArrayList;
import java.util.List;
import dev.imm.model.ProviderConfig;
import dev.imm.provider.Provider;
import dev.imm.provider.aws.AwsProvider;
import dev.imm.provider.aws.AwsSettings;
import dev.imm.provider.sim.SimProvider;
import dev.imm.value.Value;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the provider a stack's {@code provider} block names (the simulated cloud when there is none),
 * with the container registries beside it when the stack declares container images.
 */
final class Providers {
    private Providers() {
    }

    /** Testing crash recovery on AWS: the process halts when an operation reaches this point (docs/aws.md). */
    static final String AWS_CRASH_AT = "IMM_AWS_CRASH_AT";

    /**
     * The provider for a stack: its cloud, together with the container registries when the stack declares
     * container images; null when it is not available in this build (the reason is then in {@code why}).
     */
    static Provider create(DesiredState desired, Stack stack, Registries registries, StringBuilder why) {
        Provider cloud = create(desired.provider(), stack, why);
        boolean containers = desired.images().values().stream().anyMatch(ImageSpec::isContainer);
        return cloud == null || !containers ? cloud : new WithContainers(cloud, registries.get());
    }

    /**
     * The container registries of one command, made when first needed (a stack without containers never
     * makes them). Before the provider exists they resolve the tags of container bases, for the first
     * evaluation; the provider then uses the same registries, so a tag is looked up once.
     */
    static final class Registries implements SourceResolver {
        private final java.nio.file.Path directory;
        private OciRegistry registry;

        Registries(java.nio.file.Path directory) {
            this.directory = directory;
        }

        synchronized OciRegistry get() {
            if (registry == null) {
                registry = new OciRegistry(directory);
            }
            return registry;
        }

        @Override
        public java.util.Optional<String> resolve(SourceSpec source) {
            if (!(source instanceof SourceSpec.ByTag tag)) {
                return java.util.Optional.empty();
            }
            try {
                return get().digestOf(tag.reference());
            } catch (dev.imm.provider.ProviderException e) {
                return java.util.Optional.empty();
            }
        }
    }

    /** The simulated cloud under a provider, or null when the cloud is another. */
    static SimProvider simulated(Provider provider) {
        Provider cloud = provider instanceof WithContainers with ? with.cloud() : provider;
        return cloud instanceof SimProvider sim ? sim : null;
    }

    /**
     * The provider that reads everything the state records: for a state with container images (refresh and
     * drift, which know the state, not the stack's blocks), the cloud together with the registries, told to
     * look for the recorded versions; otherwise the cloud as it is.
     */
    static Provider withRecordedContainers(Provider cloud, Stack stack, dev.imm.state.RecordedState recorded) {
        boolean containers = recorded.images().values().stream()
                .anyMatch(r -> r.versions().stream().anyMatch(v -> WithContainers.isContainerReference(v.imageId())));
        if (!containers || cloud instanceof WithContainers) {
            return cloud;
        }
        WithContainers with = new WithContainers(cloud, new Registries(stack.directory()).get());
        expectContainers(with, List.of(), recorded);
        return with;
    }

    /**
     * Tells the container registries what to look for when the cloud is read: each container image's bake
     * as declared now (by its bake tag) and every version the state records.
     */
    static void expectContainers(Provider provider, java.util.Collection<ImageSpec> declared, dev.imm.state.RecordedState recorded) {
        if (!(provider instanceof WithContainers with)) {
            return;
        }
        List<ContainerRegistry.Lookup> lookups = new ArrayList<>();
        declared.stream().filter(ImageSpec::isContainer).forEach(spec ->
                lookups.add(new ContainerRegistry.Lookup(spec.address(), spec.container().pushTo(), spec.bakeHash(), null)));
        recorded.images().values().forEach(r -> r.versions().forEach(v -> {
            if (WithContainers.isContainerReference(v.imageId())) {
                lookups.add(new ContainerRegistry.Lookup(r.address(), null, v.bakeHash(), v.imageId()));
            }
        }));
        with.expect(lookups);
    }

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
        SimProvider sim = simulated(provider);
        if (sim != null) {
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
