package dev.imm.provider;

import dev.imm.model.PolicyCheck;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cloud together with the container registries a stack pushes to: machine images and fleets go to
 * the cloud, container images (their bakes, reads, retirements and tag lookups) to the registry. The
 * engine and the executor see one provider, so container images are planned, baked, recorded and
 * retired the way machine images are.
 */
public final class WithContainers implements Provider {
    private final Provider cloud;
    private final ContainerRegistry registry;
    private volatile List<ContainerRegistry.Lookup> lookups = List.of();

    public WithContainers(Provider cloud, ContainerRegistry registry) {
        this.cloud = cloud;
        this.registry = registry;
    }

    /** The machine-image cloud underneath. */
    public Provider cloud() {
        return cloud;
    }

    /** Whether an image id names a container image ({@code host/repo@sha256:…}) rather than a machine image. */
    public static boolean isContainerReference(String imageId) {
        return imageId != null && imageId.contains("@sha256:");
    }

    /** What {@link #read} looks for in the registries: the stack's container images, declared and recorded. */
    public void expect(Collection<ContainerRegistry.Lookup> lookups) {
        this.lookups = List.copyOf(lookups);
    }

    @Override
    public void close() throws ProviderException {
        cloud.close();
    }

    @Override
    public String name() {
        return cloud.name();
    }

    @Override
    public String target() throws ProviderException {
        return cloud.target();
    }

    @Override
    public SourceResolver sources() {
        SourceResolver machines = cloud.sources();
        return new SourceResolver() {
            @Override
            public Optional<String> resolve(SourceSpec source) {
                return source instanceof SourceSpec.ByTag tag ? Optional.ofNullable(lookUp(tag).digest()) : machines.resolve(source);
            }

            @Override
            public String failure(SourceSpec source) {
                return source instanceof SourceSpec.ByTag tag ? lookUp(tag).failure() : machines.failure(source);
            }
        };
    }

    /** What a tag names: its digest reference, or null and why not. */
    private record TagLookup(String digest, String failure) {
    }

    private TagLookup lookUp(SourceSpec.ByTag tag) {
        try {
            Optional<String> digest = registry.digestOf(tag.reference());
            return new TagLookup(digest.orElse(null), digest.isPresent() ? null : "the registry has no " + tag.reference());
        } catch (ProviderException e) {
            return new TagLookup(null, e.getMessage());
        }
    }

    @Override
    public boolean sequential() {
        return cloud.sequential();
    }

    @Override
    public boolean outlivesCall(OperationHandle handle) {
        return cloud.outlivesCall(handle);
    }

    @Override
    public long statePersistIntervalMillis() {
        return cloud.statePersistIntervalMillis();
    }

    @Override
    public boolean backOff(long millis) {
        return cloud.backOff(millis);
    }

    @Override
    public long now() {
        return cloud.now();
    }

    @Override
    public List<PolicyCheck> check(dev.imm.model.Address image, String imageId, dev.imm.model.ImagePolicy policy) {
        if (!isContainerReference(imageId)) {
            return cloud.check(image, imageId, policy);
        }
        List<PolicyCheck> found = new ArrayList<>();
        if (policy.requireSignature()) {
            found.add(registry.verifySignature(image, imageId, policy.publicKey()));
        }
        if (policy.scan() != null) {
            found.add(registry.scan(image, imageId, policy.scan()));
        }
        return found;
    }

    @Override
    public Set<RolloutPolicy.Strategy> nativeStrategies() {
        return cloud.nativeStrategies();
    }

    @Override
    public LiveState read(String stack) throws ProviderException {
        LiveState machines = cloud.read(stack);
        List<LiveImage> images = new ArrayList<>(machines.images());
        images.addAll(registry.read(lookups));
        images.sort(Comparator.comparing(LiveImage::address).thenComparing(LiveImage::imageId));
        return new LiveState(images, machines.fleets(), machines.bakes());
    }

    @Override
    public BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
        return request.container() != null ? registry.bake(request, listener) : cloud.bake(request, listener);
    }

    @Override
    public BakeResult awaitBake(String bakeId, ProgressListener listener) throws ProviderException {
        return cloud.awaitBake(bakeId, listener);
    }

    @Override
    public void cancelBake(String bakeId) throws ProviderException {
        cloud.cancelBake(bakeId);
    }

    @Override
    public LiveFleet createFleet(FleetRequest request, ProgressListener listener) throws ProviderException {
        return cloud.createFleet(request, listener);
    }

    @Override
    public LiveFleet awaitCreate(String fleetId, ProgressListener listener) throws ProviderException {
        return cloud.awaitCreate(fleetId, listener);
    }

    @Override
    public LiveFleet updateFleet(String fleetId, FleetRequest request) throws ProviderException {
        return cloud.updateFleet(fleetId, request);
    }

    @Override
    public RollResult roll(RollRequest request, ProgressListener listener) throws ProviderException {
        return cloud.roll(request, listener);
    }

    @Override
    public RollResult awaitRoll(String rollId, ProgressListener listener) throws ProviderException {
        return cloud.awaitRoll(rollId, listener);
    }

    @Override
    public RollResult rollBack(String rollId, String reason, ProgressListener listener) throws ProviderException {
        return cloud.rollBack(rollId, reason, listener);
    }

    @Override
    public void destroyFleet(String fleetId, ProgressListener listener) throws ProviderException {
        cloud.destroyFleet(fleetId, listener);
    }

    @Override
    public void retireImage(String imageId) throws ProviderException {
        if (isContainerReference(imageId)) {
            registry.delete(imageId);
        } else {
            cloud.retireImage(imageId);
        }
    }
}
