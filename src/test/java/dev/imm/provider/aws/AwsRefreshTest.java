package dev.imm.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import dev.imm.testing.AwsTestCredentials;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rolling and canary rollouts as instance refreshes: the StartInstanceRefresh request a policy becomes,
 * as the SDK marshals it, and the poll loop driven by DescribeInstanceRefreshes responses of the
 * documented shapes (Pending, InProgress with a percentage, then Successful, RollbackSuccessful or
 * Failed), with a clock that does not sleep.
 */
@ExtendWith(AwsTestCredentials.class)
class AwsRefreshTest {
    private static final Address WEB = Address.of("fleet", "web");
    private static final AwsClock NO_WAIT = new AwsClock() {
        private long now;

        @Override
        public long now() {
            return now;
        }

        @Override
        public boolean sleep(long millis) {
            now += millis;
            return true;
        }
    };

    private static RolloutPolicy policy(RolloutPolicy.Strategy strategy, RolloutPolicy.OnFailure onFailure, List<Integer> steps) {
        return new RolloutPolicy(Address.of("rollout", "r"), strategy, BigDecimal.valueOf(90), BigDecimal.valueOf(110), 120_000,
                onFailure, steps.stream().map(BigDecimal::valueOf).toList(), 600_000, List.of("web-5xx"), 300_000, 300_000, 300_000,
                1_800_000, true, null);
    }

    private static AwsProvider provider(ScriptedHttp http) {
        return new AwsProvider(new AwsSettings("eu-west-1", null, URI.create("http://127.0.0.1:1"), null), http, List.of(), NO_WAIT);
    }

    @Test
    void aCanaryPolicyBecomesCheckpointsPausesAndAutoRollback() {
        Map<String, String> request = marshal(AwsRefreshes.request("web", new AwsFleets.Version("lt-1", 3),
                policy(RolloutPolicy.Strategy.CANARY, RolloutPolicy.OnFailure.ROLLBACK, List.of(10, 50, 100))));
        assertEquals("StartInstanceRefresh", request.get("Action"));
        assertEquals("web", request.get("AutoScalingGroupName"));
        assertEquals("Rolling", request.get("Strategy"));
        assertEquals("lt-1", request.get("DesiredConfiguration.LaunchTemplate.LaunchTemplateId"));
        assertEquals("3", request.get("DesiredConfiguration.LaunchTemplate.Version"));
        assertEquals("90", request.get("Preferences.MinHealthyPercentage"));
        assertEquals("110", request.get("Preferences.MaxHealthyPercentage"));
        assertEquals("120", request.get("Preferences.InstanceWarmup"));
        assertEquals("10", request.get("Preferences.CheckpointPercentages.member.1"));
        assertEquals("50", request.get("Preferences.CheckpointPercentages.member.2"));
        assertEquals("100", request.get("Preferences.CheckpointPercentages.member.3"));
        assertEquals("600", request.get("Preferences.CheckpointDelay"));
        assertEquals("300", request.get("Preferences.BakeTime"));
        assertEquals("true", request.get("Preferences.SkipMatching"));
        assertEquals("true", request.get("Preferences.AutoRollback"));
        assertEquals("web-5xx", request.get("Preferences.AlarmSpecification.Alarms.member.1"));
    }

    @Test
    void aRollingPolicyHasNoCheckpointsAndPauseMeansNoAutoRollback() {
        Map<String, String> request = marshal(AwsRefreshes.request("web", new AwsFleets.Version("lt-1", 2),
                policy(RolloutPolicy.Strategy.ROLLING, RolloutPolicy.OnFailure.PAUSE, List.of())));
        assertEquals("false", request.get("Preferences.AutoRollback"));
        assertTrue(request.keySet().stream().noneMatch(k -> k.startsWith("Preferences.Checkpoint")), request.toString());
        assertEquals(null, request.get("Preferences.BakeTime"));
    }

    @Test
    void maxHealthyNeverExceedsMinHealthyByMoreThanAHundred() {
        RolloutPolicy wide = new RolloutPolicy(Address.of("rollout", "r"), RolloutPolicy.Strategy.ROLLING, BigDecimal.valueOf(50),
                BigDecimal.valueOf(200), 0, RolloutPolicy.OnFailure.ROLLBACK, List.of(), 0, List.of(), 0, 0, 0, 1_800_000, false, null);
        Map<String, String> request = marshal(AwsRefreshes.request("web", new AwsFleets.Version("lt-1", 2), wide));
        assertEquals("50", request.get("Preferences.MinHealthyPercentage"));
        assertEquals("150", request.get("Preferences.MaxHealthyPercentage"));
    }

    /** What the SDK sends for a request: its query parameters, from a client whose HTTP client records them. */
    private static Map<String, String> marshal(software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest request) {
        ScriptedHttp http = new ScriptedHttp().on("StartInstanceRefresh",
                ScriptedHttp.autoscaling("StartInstanceRefresh", "<InstanceRefreshId>r-1</InstanceRefreshId>"));
        try (AwsClients aws = AwsClients.open(new AwsSettings("eu-west-1", null, URI.create("http://127.0.0.1:1"), null), http, List.of())) {
            assertEquals("r-1", aws.autoscaling.startInstanceRefresh(request).instanceRefreshId());
        }
        return http.first("StartInstanceRefresh");
    }

    private static final class Events implements ProgressListener {
        final List<String> messages = new ArrayList<>();
        final List<OperationHandle> handles = new ArrayList<>();

        @Override
        public void started(Address address, OperationHandle handle) {
            handles.add(handle);
        }

        @Override
        public void event(Address address, long atMillis, String message) {
            messages.add(message);
        }
    }

    private static ScriptedHttp rollScript(String... refreshes) {
        return new ScriptedHttp()
                .on("DescribeAutoScalingGroups", ScriptedHttp.group(4, null), ScriptedHttp.group(3, "refresh"),
                        ScriptedHttp.group(4, "refresh"))
                .on("DescribeLaunchTemplates", "<DescribeLaunchTemplatesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>x</requestId><launchTemplates><item><launchTemplateId>lt-1</launchTemplateId>"
                        + "<launchTemplateName>imm-shop-fleet.web</launchTemplateName><latestVersionNumber>1</latestVersionNumber>"
                        + "</item></launchTemplates></DescribeLaunchTemplatesResponse>")
                .on("DescribeLaunchTemplateVersions", "<DescribeLaunchTemplateVersionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>x</requestId><launchTemplateVersionSet><item><launchTemplateId>lt-1</launchTemplateId>"
                        + "<versionNumber>1</versionNumber><launchTemplateData><imageId>ami-0aaaaaaaaaaaaaaa1</imageId>"
                        + "<instanceType>t3.small</instanceType></launchTemplateData></item></launchTemplateVersionSet>"
                        + "</DescribeLaunchTemplateVersionsResponse>")
                .on("CreateLaunchTemplateVersion", "<CreateLaunchTemplateVersionResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>x</requestId><launchTemplateVersion><launchTemplateId>lt-1</launchTemplateId>"
                        + "<versionNumber>2</versionNumber></launchTemplateVersion></CreateLaunchTemplateVersionResponse>")
                .on("CreateOrUpdateTags", ScriptedHttp.autoscalingEmpty("CreateOrUpdateTags"))
                .on("DeleteTags", ScriptedHttp.autoscalingEmpty("DeleteTags"))
                .on("StartInstanceRefresh", ScriptedHttp.autoscaling("StartInstanceRefresh",
                        "<InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId>"))
                .on("RollbackInstanceRefresh", ScriptedHttp.autoscaling("RollbackInstanceRefresh",
                        "<InstanceRefreshId>08b91cf7-8fa6-48af-b6a6-d227f40f1b9b</InstanceRefreshId>"))
                .on("DescribeInstanceRefreshes", refreshes);
    }

    private static RollRequest rollTo(String imageId, RolloutPolicy policy) {
        LaunchConfiguration launch = new LaunchConfiguration(imageId, "t3.small", "", List.of("subnet-0aa"), List.of(), "");
        FleetRequest fleet = new FleetRequest("shop", WEB, launch, 2, 8, 4, List.of(), new TreeMap<>(), null, "#!/bin/sh\necho hi");
        return new RollRequest("web", launch, policy, fleet);
    }

    private static final String ID = "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b";

    @Test
    void aRefreshIsPolledUntilItSucceeds() throws ProviderException {
        ScriptedHttp http = rollScript(ScriptedHttp.refresh(ID, "Pending", null, 4, null),
                ScriptedHttp.refresh(ID, "InProgress", 50, 2, "Waiting for instances to warm up before continuing."),
                ScriptedHttp.refresh(ID, "Successful", 100, 0, null));
        Events events = new Events();
        RollResult result;
        try (AwsProvider provider = provider(http)) {
            result = provider.roll(rollTo("ami-0bbbbbbbbbbbbbbb2",
                    policy(RolloutPolicy.Strategy.ROLLING, RolloutPolicy.OnFailure.ROLLBACK, List.of())), events);
        }
        assertEquals(RollResult.Outcome.SUCCEEDED, result.outcome());
        assertEquals("web", result.fleetId());
        assertEquals(4, result.replaced());
        assertEquals(new BigDecimal("75.0"), result.lowestHealthy());
        assertEquals(List.of(new OperationHandle("roll", "refresh:web:" + ID)), events.handles);
        assertEquals("ami-0bbbbbbbbbbbbbbb2", http.first("CreateLaunchTemplateVersion").get("LaunchTemplateData.ImageId"));
        assertEquals("IyEvYmluL3NoCmVjaG8gaGk=", http.first("CreateLaunchTemplateVersion").get("LaunchTemplateData.UserData"));
        assertEquals("2", http.first("StartInstanceRefresh").get("DesiredConfiguration.LaunchTemplate.Version"));
        List<String> actions = http.actions();
        assertTrue(actions.indexOf("CreateOrUpdateTags") < actions.indexOf("StartInstanceRefresh"), actions::toString);
        assertEquals("DeleteTags", actions.get(actions.size() - 1), actions::toString);
        assertTrue(events.messages.stream().anyMatch(m -> m.contains("InProgress 50% (2 instances to update; Waiting for instances")),
                events.messages::toString);
    }

    @Test
    void aRefreshThatAutoScalingRolledBackEndsRolledBack() throws ProviderException {
        ScriptedHttp http = rollScript(ScriptedHttp.refresh(ID, "InProgress", 25, 3, null),
                ScriptedHttp.refresh(ID, "RollbackInProgress", 25, 3, "alarm web-5xx went into ALARM"),
                ScriptedHttp.refresh(ID, "RollbackSuccessful", 100, 3, "alarm web-5xx went into ALARM"));
        RollResult result;
        try (AwsProvider provider = provider(http)) {
            result = provider.roll(rollTo("ami-0bbbbbbbbbbbbbbb2",
                    policy(RolloutPolicy.Strategy.CANARY, RolloutPolicy.OnFailure.ROLLBACK, List.of(25, 100))), ProgressListener.NONE);
        }
        assertEquals(RollResult.Outcome.ROLLED_BACK, result.outcome());
        assertEquals("alarm web-5xx went into ALARM", result.reason());
    }

    @Test
    void aFailedRefreshWithoutAutoRollbackIsPaused() throws ProviderException {
        ScriptedHttp http = rollScript(ScriptedHttp.refresh(ID, "Failed", 50, 2, "instances failed their health checks"));
        RollResult result;
        try (AwsProvider provider = provider(http)) {
            result = provider.roll(rollTo("ami-0bbbbbbbbbbbbbbb2",
                    policy(RolloutPolicy.Strategy.ROLLING, RolloutPolicy.OnFailure.PAUSE, List.of())), ProgressListener.NONE);
        }
        assertEquals(RollResult.Outcome.PAUSED, result.outcome());
        assertEquals(2, result.replaced());
    }

    @Test
    void aRefreshLeftUnderWayIsReadAsTheFleetsRoll() throws ProviderException {
        String refresh = ScriptedHttp.autoscaling("DescribeInstanceRefreshes", "<InstanceRefreshes><member><InstanceRefreshId>" + ID
                + "</InstanceRefreshId><AutoScalingGroupName>web</AutoScalingGroupName><Status>InProgress</Status>"
                + "<PercentageComplete>50</PercentageComplete><InstancesToUpdate>1</InstancesToUpdate>"
                + "<StartTime>2026-01-01T00:00:00Z</StartTime><Preferences><CheckpointPercentages><member>25</member><member>100</member>"
                + "</CheckpointPercentages></Preferences><DesiredConfiguration><LaunchTemplate><LaunchTemplateId>lt-1</LaunchTemplateId>"
                + "<Version>2</Version></LaunchTemplate></DesiredConfiguration></member></InstanceRefreshes>");
        String ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";
        ScriptedHttp http = new ScriptedHttp()
                .on("DescribeAutoScalingGroups", ScriptedHttp.group(4, "refresh:web:" + ID))
                .on("DescribeInstanceRefreshes", refresh)
                .on("DescribeImages", "<DescribeImagesResponse xmlns=\"" + ec2 + "\"><requestId>x</requestId><imagesSet/></DescribeImagesResponse>")
                .on("DescribeInstances", "<DescribeInstancesResponse xmlns=\"" + ec2 + "\"><requestId>x</requestId><reservationSet/>"
                        + "</DescribeInstancesResponse>")
                .on("DescribeLaunchTemplateVersions", "<DescribeLaunchTemplateVersionsResponse xmlns=\"" + ec2 + "\"><requestId>x</requestId>"
                        + "<launchTemplateVersionSet><item><launchTemplateId>lt-1</launchTemplateId><versionNumber>1</versionNumber>"
                        + "<launchTemplateData><imageId>ami-0aaaaaaaaaaaaaaa1</imageId><instanceType>t3.small</instanceType></launchTemplateData>"
                        + "</item></launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>",
                        "<DescribeLaunchTemplateVersionsResponse xmlns=\"" + ec2 + "\"><requestId>x</requestId>"
                        + "<launchTemplateVersionSet><item><launchTemplateId>lt-1</launchTemplateId><versionNumber>2</versionNumber>"
                        + "<launchTemplateData><imageId>ami-0bbbbbbbbbbbbbbb2</imageId><instanceType>t3.small</instanceType></launchTemplateData>"
                        + "</item></launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>");
        dev.imm.provider.LiveState live;
        try (AwsProvider provider = provider(http)) {
            live = provider.read("shop");
        }
        dev.imm.provider.LiveRoll roll = live.fleets().get(0).roll();
        assertEquals("refresh:web:" + ID, roll.id());
        assertEquals(RolloutPolicy.Strategy.CANARY, roll.strategy());
        assertEquals("ami-0aaaaaaaaaaaaaaa1", roll.from().imageId());
        assertEquals("ami-0bbbbbbbbbbbbbbb2", roll.to().imageId());
        assertEquals(3, roll.replaced());
        assertEquals(4, roll.total());
        assertEquals("2", http.requests().stream().filter(r -> "DescribeLaunchTemplateVersions".equals(r.get("Action")))
                .skip(1).findFirst().orElseThrow().get("LaunchTemplateVersion.1"));
    }

    @Test
    void anUpdateWaitsForNoRollButClearsATagLeftByOneThatEnded() throws ProviderException {
        FleetRequest request = rollTo("ami-0aaaaaaaaaaaaaaa1", policy(RolloutPolicy.Strategy.ROLLING,
                RolloutPolicy.OnFailure.ROLLBACK, List.of())).fleet();
        ScriptedHttp running = rollScript(ScriptedHttp.refresh(ID, "InProgress", 50, 2, null))
                .instead("DescribeAutoScalingGroups", ScriptedHttp.group(4, "refresh:web:" + ID));
        try (AwsProvider provider = provider(running)) {
            ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(ProviderException.class,
                    () -> provider.updateFleet("web", request));
            assertEquals("fleet fleet.web (web) has a roll under way (refresh:web:" + ID + "); it must end, or be rolled back, first",
                    e.getMessage());
        }
        ScriptedHttp ended = rollScript(ScriptedHttp.refresh(ID, "Successful", 100, 0, null))
                .instead("DescribeAutoScalingGroups", ScriptedHttp.group(4, "refresh:web:" + ID))
                .on("UpdateAutoScalingGroup", ScriptedHttp.autoscalingEmpty("UpdateAutoScalingGroup"));
        try (AwsProvider provider = provider(ended)) {
            provider.updateFleet("web", request);
        }
        assertEquals("imm:rolling", ended.first("DeleteTags").get("Tags.member.1.Key"));
        assertEquals("4", ended.first("UpdateAutoScalingGroup").get("DesiredCapacity"));
    }

    @Test
    void aRefreshUnderWayIsTurnedBackWithRollbackInstanceRefresh() throws ProviderException {
        ScriptedHttp http = rollScript(ScriptedHttp.refresh(ID, "InProgress", 50, 2, null),
                ScriptedHttp.refresh(ID, "RollbackSuccessful", 100, 2, "rolled back at the request of a user"));
        RollResult result;
        try (AwsProvider provider = provider(http)) {
            result = provider.rollBack("refresh:web:" + ID, "the configuration now wants ami-1", ProgressListener.NONE);
        }
        assertEquals(RollResult.Outcome.ROLLED_BACK, result.outcome());
        assertEquals("web", http.first("RollbackInstanceRefresh").get("AutoScalingGroupName"));
        assertTrue(!http.actions().contains("StartInstanceRefresh"), http.actions()::toString);
    }
}
