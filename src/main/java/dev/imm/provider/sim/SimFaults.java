package dev.imm.provider.sim;

import dev.imm.model.Address;
import dev.imm.model.BakeInputs;
import dev.imm.model.FaultSpec;
import dev.imm.provider.ProviderException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The faults a stack's {@code provider "sim"} block injects (docs/faults.md). Random draws are
 * repeatable: each is {@code sha256(seed:kind:n)} read as a fraction, where {@code n} is a number the
 * cloud keeps (an instance's sequence, a counter of API calls), so the same calls meet the same faults.
 * {@code unhealthy} and {@code bake_fails} target the version of an image the stack declares now, by its
 * bake hash: an image is named by address in the block, and its hash is known only once the stack is
 * evaluated ({@link #declare}).
 */
final class SimFaults {
    static final SimFaults NONE = new SimFaults(List.of());

    private final List<FaultSpec> faults;
    private final Map<Address, String> declaredHashes = new TreeMap<>();

    SimFaults(List<FaultSpec> faults) {
        this.faults = List.copyOf(faults);
    }

    boolean isEmpty() {
        return faults.isEmpty();
    }

    /** The bake hash each image has as the stack declares it now. */
    void declare(Map<Address, String> bakeHashes) {
        declaredHashes.clear();
        declaredHashes.putAll(bakeHashes);
    }

    private List<FaultSpec> of(FaultSpec.Kind kind) {
        List<FaultSpec> out = new ArrayList<>();
        for (FaultSpec f : faults) {
            if (f.kind() == kind) {
                out.add(f);
            }
        }
        return out;
    }

    /** The fault that makes instances of this image never healthy, or null. */
    FaultSpec unhealthy(SimCloud.Image image) {
        return image == null ? null : forImage(FaultSpec.Kind.UNHEALTHY, image.tags.get(SimProvider.TAG_IMAGE),
                image.tags.get(SimProvider.TAG_BAKE_HASH));
    }

    /** The fault that makes the bake of this image version fail, or null. */
    FaultSpec bakeFails(Address image, String bakeHash) {
        return forImage(FaultSpec.Kind.BAKE_FAILS, image.toString(), bakeHash);
    }

    private FaultSpec forImage(FaultSpec.Kind kind, String address, String bakeHash) {
        if (address == null || bakeHash == null) {
            return null;
        }
        for (FaultSpec f : of(kind)) {
            if (f.image().toString().equals(address) && bakeHash.equals(declaredHashes.get(f.image()))) {
                return f;
            }
        }
        return null;
    }

    /** The alarm faults, in declaration order. */
    List<FaultSpec> alarms() {
        return of(FaultSpec.Kind.ALARM);
    }

    /** Whether the instance with this sequence number dies while it boots. */
    FaultSpec dies(long instanceSequence) {
        for (FaultSpec f : of(FaultSpec.Kind.INSTANCE_DIES)) {
            if (draw(f, "instance_dies", instanceSequence).compareTo(f.rate()) < 0) {
                return f;
            }
        }
        return null;
    }

    /**
     * Called before every call of the cloud's API changes anything: throws a transient error (throttling
     * or a service error, alternately) as often as {@code api_errors} says.
     */
    void apiCall(SimCloud cloud, String operation) throws ProviderException {
        for (FaultSpec f : of(FaultSpec.Kind.API_ERRORS)) {
            long n = cloud.nextNumber("api_call");
            if (draw(f, "api_errors", n).compareTo(f.rate()) < 0) {
                throw new ProviderException(n % 2 == 0
                        ? operation + ": Throttling: Rate exceeded (injected api_errors " + f.rate().toPlainString() + "%)"
                        : operation + ": ServiceUnavailable: the service is briefly unavailable (injected api_errors "
                                + f.rate().toPlainString() + "%)", true);
            }
        }
    }

    /** A fraction in [0, 100) as a percent with 4 decimals, from the fault's seed, a kind and a number. */
    private static BigDecimal draw(FaultSpec f, String kind, long n) {
        long bits = Long.parseLong(BakeInputs.sha256(f.seed() + ":" + kind + ":" + n).substring(0, 8), 16);
        return BigDecimal.valueOf(bits % 1_000_000L, 4);
    }
}
