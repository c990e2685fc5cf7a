package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.model.Address;
import dev.imm.plan.Drift;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveState;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.Retry;
import dev.imm.state.CommitInfo;
import dev.imm.state.CommitMessage;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.Lock;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Reads the live cloud and holds it against the recorded state, leaving the configuration out:
 * {@link #drift} lists the differences ({@link Drift}); {@link #refresh} writes the cloud's values into
 * the state, under the state lock, as one commit ({@code refresh: …}, {@code Imm-Apply: refresh-<serial>},
 * {@code Imm-Status: succeeded}). Refresh records what the cloud changed or lost: a fleet's sizes, launch
 * configuration, target groups, tags and cloud id take the live values; fleets and image versions gone
 * from the cloud are dropped. It never adopts what the state does not know, and it changes nothing in the
 * cloud; those differences stay for a plan to settle.
 */
public final class Refresher {
    private final LongSupplier clock;

    public Refresher() {
        this(System::currentTimeMillis);
    }

    Refresher(LongSupplier clock) {
        this.clock = clock;
    }

    /** What {@code imm drift} found; {@code hasState} is false when the stack has no recorded state yet. */
    public record DriftReport(List<Diagnostic> diagnostics, SourceSet sources, boolean hasState,
                              List<Drift.Difference> differences) {
        public DriftReport {
            diagnostics = List.copyOf(diagnostics);
            differences = List.copyOf(differences);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    /**
     * What {@code imm refresh} did: the differences it wrote into the state ({@code recorded}), those it
     * left ({@code remaining}), and the revision it committed (null when nothing needed recording).
     */
    public record RefreshOutcome(List<Diagnostic> diagnostics, SourceSet sources, boolean hasState,
                                 List<Drift.Difference> recorded, List<Drift.Difference> remaining, Revision revision) {
        public RefreshOutcome {
            diagnostics = List.copyOf(diagnostics);
            recorded = List.copyOf(recorded);
            remaining = List.copyOf(remaining);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    public DriftReport drift(Path dir, VariableSources variables) {
        Stack stack = new Stack(dir);
        Diagnostics diagnostics = new Diagnostics();
        SourceSet sources = new SourceSet();
        StackSettings settings = StackSettings.read(stack, variables, diagnostics, sources);
        Provider provider = settings == null ? null : provider(settings, stack, diagnostics);
        if (provider == null) {
            return new DriftReport(diagnostics.sorted(), sources, false, List.of());
        }
        RecordedState recorded = RecordedState.empty("");
        boolean hasState = false;
        if (mayHaveState(stack, settings)) {
            try (StateStore store = StateStores.open(stack, settings.state())) {
                Optional<Revision> head = store.head();
                if (head.isPresent()) {
                    hasState = true;
                    recorded = store.read(head.get());
                }
            } catch (StateException e) {
                diagnostics.add(cannotReadState(stack, e));
                return new DriftReport(diagnostics.sorted(), sources, false, List.of());
            }
        }
        try {
            Provider cloud = Providers.withRecordedContainers(provider, stack, recorded);
            LiveState live = Retry.call(cloud, () -> cloud.read(stack.name()));
            return new DriftReport(diagnostics.sorted(), sources, hasState, Drift.between(recorded, live));
        } catch (ProviderException e) {
            diagnostics.add(Diagnostic.error(null, "cannot read the cloud").withDetail(e.getMessage()));
            return new DriftReport(diagnostics.sorted(), sources, hasState, List.of());
        }
    }

    /** Records the live cloud into the state; waits up to {@code lockTimeout} for another apply's lock. */
    public RefreshOutcome refresh(Path dir, VariableSources variables, String author, Duration lockTimeout) {
        Stack stack = new Stack(dir);
        Diagnostics diagnostics = new Diagnostics();
        SourceSet sources = new SourceSet();
        StackSettings settings = StackSettings.read(stack, variables, diagnostics, sources);
        Provider provider = settings == null ? null : provider(settings, stack, diagnostics);
        if (provider == null || !mayHaveState(stack, settings)) {
            return new RefreshOutcome(diagnostics.sorted(), sources, false, List.of(), List.of(), null);
        }
        try (StateStore store = StateStores.open(stack, settings.state())) {
            if (store.head().isEmpty()) {
                return new RefreshOutcome(diagnostics.sorted(), sources, false, List.of(), List.of(), null);
            }
            Lock lock;
            try {
                lock = store.lock(author, "refresh", Applier.LEASE, lockTimeout);
            } catch (StateException e) {
                diagnostics.add(Diagnostic.error(null, "the state is locked").withDetail(e.getMessage()
                        + "\nWait for that apply to end, pass --lock-timeout to wait for it, or run `imm unlock` if it was abandoned."));
                return new RefreshOutcome(diagnostics.sorted(), sources, true, List.of(), List.of(), null);
            }
            Recorded result;
            try {
                result = recordLive(store, provider, stack, author, diagnostics);
            } finally {
                try {
                    lock.release();
                } catch (StateException e) {
                    diagnostics.add(Diagnostic.warning(null, "the state lock was not released").withDetail(e.getMessage()));
                }
            }
            return new RefreshOutcome(diagnostics.sorted(), sources, true, result.recorded(), result.remaining(),
                    result.revision());
        } catch (StateException e) {
            diagnostics.add(cannotReadState(stack, e));
        }
        return new RefreshOutcome(diagnostics.sorted(), sources, true, List.of(), List.of(), null);
    }

    private record Recorded(List<Drift.Difference> recorded, List<Drift.Difference> remaining, Revision revision) {
        static final Recorded NOTHING = new Recorded(List.of(), List.of(), null);
    }

    /** Reads the head (under the lock: an apply that held it may have moved it) and the cloud, and commits. */
    private Recorded recordLive(StateStore store, Provider provider, Stack stack, String author, Diagnostics diagnostics)
            throws StateException {
        RecordedState recorded = store.read(store.head().orElseThrow());
        Provider cloud = Providers.withRecordedContainers(provider, stack, recorded);
        LiveState live;
        try {
            live = Retry.call(cloud, () -> cloud.read(stack.name()));
        } catch (ProviderException e) {
            diagnostics.add(Diagnostic.error(null, "cannot read the cloud").withDetail(e.getMessage()));
            return Recorded.NOTHING;
        }
        List<Drift.Difference> differences = Drift.between(recorded, live);
        List<Drift.Difference> recordable = differences.stream().filter(d -> d.kind().recordable()).toList();
        List<Drift.Difference> remaining = differences.stream().filter(d -> !d.kind().recordable()).toList();
        RecordedState next = refreshed(recorded, live);
        if (next.images().equals(recorded.images()) && next.fleets().equals(recorded.fleets())) {
            return new Recorded(List.of(), remaining, null);
        }
        long serial = recorded.serial() + 1;
        RecordedState committed = new RecordedState(serial, recorded.lineage(), recorded.outputs(), next.images(),
                next.fleets());
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put(CommitMessage.APPLY, "refresh-" + serial);
        trailers.put(CommitMessage.STATUS, "succeeded");
        String body = recordable.stream().map(Drift.Difference::toString).collect(Collectors.joining("\n"));
        try {
            Revision revision = store.commit(committed, Map.of(),
                    new CommitInfo(summary(recordable), body, trailers, author, author + "@imm", clock.getAsLong()));
            return new Recorded(recordable, remaining, revision);
        } catch (StateException e) {
            diagnostics.add(Diagnostic.error(null, "the refreshed state could not be recorded").withDetail(e.getMessage()));
            return new Recorded(List.of(), differences, null);
        }
    }

    /**
     * The recorded state with the cloud's values: image versions and fleets the cloud lost are dropped, and
     * every fleet the cloud still has takes its live cloud id, launch configuration, sizes, target groups
     * and (user) tags. A fleet that runs another image than recorded is recorded with that image's address
     * and bake hash when the cloud knows them. Serial, lineage and outputs stay as they are.
     */
    static RecordedState refreshed(RecordedState recorded, LiveState live) {
        Set<String> liveImageIds = new HashSet<>();
        live.images().forEach(i -> liveImageIds.add(i.imageId()));
        SortedMap<Address, ImageRecord> images = new TreeMap<>();
        for (ImageRecord record : recorded.images().values()) {
            List<ImageVersion> kept = new ArrayList<>();
            for (ImageVersion v : record.versions()) {
                if (liveImageIds.contains(v.imageId())) {
                    kept.add(v);
                }
            }
            if (!kept.isEmpty()) {
                images.put(record.address(), new ImageRecord(record.address(), kept));
            }
        }
        SortedMap<Address, FleetRecord> fleets = new TreeMap<>();
        for (FleetRecord record : recorded.fleets().values()) {
            Optional<LiveFleet> match = Drift.matching(live, record);
            if (match.isEmpty()) {
                continue;
            }
            LiveFleet f = match.get();
            Address image = record.image();
            String bakeHash = record.bakeHash();
            if (record.launch() == null || !f.launch().imageId().equals(record.launch().imageId())) {
                Optional<LiveImage> running = live.images().stream()
                        .filter(i -> i.imageId().equals(f.launch().imageId())).findFirst();
                image = running.map(LiveImage::address).orElse(image);
                bakeHash = running.map(LiveImage::bakeHash).orElse(null);
            }
            fleets.put(record.address(), new FleetRecord(record.address(), f.fleetId(), image, bakeHash, f.launch(), f.min(),
                    f.max(), f.desired(), f.targetGroups(), Drift.userTags(f.tags()), record.rollout(), record.preventDestroy(),
                    record.lastAttempt()));
        }
        return new RecordedState(recorded.serial(), recorded.lineage(), recorded.outputs(), images, fleets);
    }

    /** {@code refresh: 1 fleet updated, 2 image versions dropped}. */
    static String summary(List<Drift.Difference> recorded) {
        Set<Address> updated = new TreeSet<>();
        int fleetsDropped = 0;
        int versionsDropped = 0;
        for (Drift.Difference d : recorded) {
            switch (d.kind()) {
                case FLEET_CHANGED -> updated.add(d.address());
                case FLEET_MISSING -> fleetsDropped++;
                case IMAGE_MISSING -> versionsDropped++;
                default -> { }
            }
        }
        List<String> parts = new ArrayList<>();
        if (!updated.isEmpty()) {
            parts.add(updated.size() == 1 ? updated.iterator().next() + " updated from the cloud"
                    : updated.size() + " fleets updated from the cloud");
        }
        if (fleetsDropped > 0) {
            parts.add(fleetsDropped + (fleetsDropped == 1 ? " fleet" : " fleets") + " gone from the cloud dropped");
        }
        if (versionsDropped > 0) {
            parts.add(versionsDropped + (versionsDropped == 1 ? " image version" : " image versions")
                    + " gone from the cloud dropped");
        }
        return "refresh: " + (parts.isEmpty() ? "nothing changed" : String.join(", ", parts));
    }

    private static boolean mayHaveState(Stack stack, StackSettings settings) {
        return Files.isDirectory(stack.stateRepository()) || settings.state().remote() != null;
    }

    private static Provider provider(StackSettings settings, Stack stack, Diagnostics diagnostics) {
        StringBuilder why = new StringBuilder();
        Provider provider = Providers.create(settings.provider(), stack, why);
        if (provider == null) {
            diagnostics.add(Diagnostic.error(null, why.toString()));
        }
        return provider;
    }

    private static Diagnostic cannotReadState(Stack stack, StateException e) {
        return Diagnostic.error(null, "cannot read the state of " + stack.directory()).withDetail(e.getMessage());
    }
}
