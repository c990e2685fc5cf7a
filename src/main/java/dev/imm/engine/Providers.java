package dev.imm.engine;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.ProviderConfig;
import dev.imm.provider.Provider;
import dev.imm.provider.sim.SimProvider;
import dev.imm.value.Value;
import java.util.Map;
import java.util.TreeMap;

/** Makes the provider a stack's {@code provider} block names (the simulated cloud when there is none). */
final class Providers {
    private Providers() {
    }

    /** The provider, or null when it is not available in this build (the reason is then in {@code why}). */
    static Provider create(ProviderConfig config, Stack stack, StringBuilder why) {
        if (config.name().equals("sim")) {
            Value seed = config.settings().get("seed");
            long n = seed instanceof Value.Num num ? num.value().longValue() : 0;
            return new SimProvider(stack.simulatedCloud(), n, config.faults());
        }
        why.append("the \"").append(config.name()).append("\" provider cannot plan or apply in this version of imm; ")
                .append("use provider \"sim\" (the simulated cloud) until it lands");
        return null;
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
