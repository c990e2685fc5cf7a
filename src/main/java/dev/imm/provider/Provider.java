package dev.imm.provider;

import dev.imm.model.PolicyCheck;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import java.util.Set;

/**
 * A cloud, spoken to in the terms of the domain: find and bake images, read and change fleets, retire
 * images. Calls that take long (bakes, rolls, creating and destroying fleets) block until done, telling
 * the listener their handle first and their progress as they go. Everything is scoped to one stack by
 * name, through tags.
 */
public interface Provider extends AutoCloseable {

    /** Ends the session: anything the provider kept to write later is written. */
    @Override
    default void close() throws ProviderException {
    }

    String name();

    /**
     * Where plans and applies go, in words for a plan's header ({@code AWS account 123456789012, region
     * eu-west-1}), or empty for the simulated cloud. Asking checks that the cloud can be reached at all:
     * credentials, region and endpoint problems are reported here, once, before anything else.
     */
    default String target() throws ProviderException {
        return "";
    }

    /** Resolves image sources (name filters, public parameters) to image ids. */
    SourceResolver sources();

    /**
     * Whether operations must run one at a time, in a fixed order: the simulated cloud derives ids and
     * virtual time from the order of calls, so running its steps in parallel would make them depend on
     * thread timing. Its operations take milliseconds, so nothing is lost.
     */
    default boolean sequential() {
        return false;
    }

    /**
     * Whether the operation this handle names can go on in the cloud after the call that started it ended
     * (imm stopped): then the handle is journaled before the operation starts, so the next run can find
     * it. On the simulated cloud bakes, fleet creations and rolls can; destroying a fleet ends within the
     * call.
     */
    default boolean outlivesCall(OperationHandle handle) {
        return true;
    }

    /**
     * How often the engine must persist the state while an apply runs: 0 means after every step (the
     * rule for real clouds, whose steps take minutes). The simulated cloud saves itself at most once a
     * second, so the state it is recorded in is saved at the same pace (and always at the end).
     */
    default long statePersistIntervalMillis() {
        return 0;
    }

    /**
     * Waits before a call is tried again ({@link Retry}); false when interrupted. The simulated cloud
     * waits in virtual time.
     */
    default boolean backOff(long millis) {
        return Retry.sleep(millis);
    }

    /** The cloud's clock (epoch ms): virtual on the simulated cloud. Image ages are measured against it. */
    default long now() {
        return System.currentTimeMillis();
    }

    /**
     * Checks an existing image version against the parts of its policy that the cloud or registry must
     * be asked about (a container's signature and scan); machine images have none, so the default finds
     * nothing to check. Ages are checked by the plan, from the state.
     */
    default java.util.List<PolicyCheck> check(dev.imm.model.Address image, String imageId, dev.imm.model.ImagePolicy policy) {
        return java.util.List.of();
    }

    /** The strategies the cloud runs itself; imm drives the others step by step. */
    Set<RolloutPolicy.Strategy> nativeStrategies();

    /** Every image and fleet of the stack, as the cloud has them now. */
    LiveState read(String stack) throws ProviderException;

    BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException;

    /**
     * Waits for a bake under way ({@link LiveState#bakes}, named by its journaled handle), one an earlier
     * imm started and did not see end, reporting its progress, and gives the image it made. Only clouds
     * that report bakes under way are asked.
     */
    default BakeResult awaitBake(String bakeId, ProgressListener listener) throws ProviderException {
        throw new ProviderException("the " + name() + " cloud cannot carry on bake " + bakeId, false);
    }

    /** Stops a bake under way that nothing wants any more: its builder is terminated, no image is made. */
    default void cancelBake(String bakeId) throws ProviderException {
        throw new ProviderException("the " + name() + " cloud cannot cancel bake " + bakeId, false);
    }

    /** Creates the fleet and waits until its desired capacity is healthy. */
    LiveFleet createFleet(FleetRequest request, ProgressListener listener) throws ProviderException;

    /**
     * Waits for the creation of a fleet under way ({@link LiveFleet#creating}), one an earlier imm started
     * and did not see end, until its desired capacity is healthy. Only clouds that report creations under
     * way are asked.
     */
    default LiveFleet awaitCreate(String fleetId, ProgressListener listener) throws ProviderException {
        throw new ProviderException("the " + name() + " cloud cannot carry on the creation of " + fleetId, false);
    }

    /** Changes sizes, tags and target groups in place: no instance is replaced. */
    LiveFleet updateFleet(String fleetId, FleetRequest request) throws ProviderException;

    /**
     * Replaces the fleet's instances under the policy; a failure ends as the policy's on_failure says.
     * Refused while another roll is under way on the fleet.
     */
    RollResult roll(RollRequest request, ProgressListener listener) throws ProviderException;

    /**
     * Waits for a roll under way ({@link LiveFleet#roll()}, named by its journaled handle), most often one
     * an earlier imm started and did not see end, reporting its progress; a roll that has ended already
     * gives its result at once.
     */
    RollResult awaitRoll(String rollId, ProgressListener listener) throws ProviderException;

    /**
     * Turns a roll under way back, whatever its policy's on_failure says (Auto Scaling's rollback of an
     * instance refresh): replaced instances return to the launch configuration the fleet had before it; a
     * blue/green rollout drops its new group, or switches traffic back while it drains. Waits for it to
     * end; a roll that has ended already gives its result at once, unchanged.
     */
    RollResult rollBack(String rollId, String reason, ProgressListener listener) throws ProviderException;

    void destroyFleet(String fleetId, ProgressListener listener) throws ProviderException;

    /** Deregisters an image no longer needed; images a fleet uses must never be retired. */
    void retireImage(String imageId) throws ProviderException;
}
