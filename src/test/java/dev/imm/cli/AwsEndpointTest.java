package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imm.testing.AwsTestCredentials;
import dev.imm.testing.TestStacks;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * {@code examples/aws} end to end against an AWS-compatible endpoint ({@code IMM_TEST_AWS_ENDPOINT},
 * such as a local moto server; skipped when unset, as in CI): apply bakes an AMI tagged with its bake
 * hash and creates the launch template and group; a changed script bakes a second AMI and the fleet
 * rolls blue/green to it through the listener; the next plan is empty; rollback returns to the first
 * AMI without a bake; a third bake retires what {@code keep = 1} leaves, with its snapshot; a size
 * changed outside imm is drift in the plan; an apply killed during a bake leaves no builder running
 * after the next apply. The test makes its own VPC, subnets, load balancer, target group and listener.
 */
@ExtendWith(AwsTestCredentials.class)
class AwsEndpointTest {
    private static final String ENDPOINT = System.getenv("IMM_TEST_AWS_ENDPOINT");
    private static final Region REGION = Region.EU_WEST_1;
    /** Names differ from run to run, so that the test can run again against the same endpoint. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @TempDir
    Path dir;

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.region(REGION).endpointOverride(URI.create(ENDPOINT)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    /** The network the example needs: two subnets, a load balancer with a listener forwarding to a target group. */
    private record Network(List<String> subnets, String targetGroup, String listener) {
    }

    private static Network network(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String name) {
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        String c = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.1.2.0/24").availabilityZone("eu-west-1b")).subnet().subnetId();
        String lb = elb.createLoadBalancer(b -> b.name(name).subnets(a, c)).loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(80).vpcId(vpc)).targetGroups().get(0).targetGroupArn();
        String listener = elb.createListener(b -> b.loadBalancerArn(lb).protocol("HTTP").port(80)
                .defaultActions(x -> x.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).listeners().get(0).listenerArn();
        return new Network(List.of(a, c), tg, listener);
    }

    private static List<String> vars(Network net) {
        return List.of("-var", "subnets=[\"" + String.join("\", \"", net.subnets()) + "\"]", "-var", "target_group=" + net.targetGroup(),
                "-var", "verify=1s", "-var", "drain=1s", "-var", "builder_profile=");
    }

    private static CliRun imm(Path stack, List<String> vars, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(stack.toString());
        all.addAll(vars);
        all.add("--no-color");
        return CliRun.of(all.toArray(String[]::new));
    }

    private static List<Image> images(Ec2Client ec2, String stack) {
        return ec2.describeImages(b -> b.owners("self").filters(Filter.builder().name("tag:imm:stack").values(stack).build()))
                .images();
    }

    private static AutoScalingGroup group(AutoScalingClient asg, String stack) {
        List<AutoScalingGroup> groups = asg.describeAutoScalingGroups(b -> b.filters(
                software.amazon.awssdk.services.autoscaling.model.Filter.builder().name("tag:imm:stack").values(stack).build()))
                .autoScalingGroups();
        assertEquals(1, groups.size(), groups::toString);
        return groups.get(0);
    }

    private static String imageOf(Ec2Client ec2, AutoScalingGroup g) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(g.launchTemplate().launchTemplateId())
                .versions(g.launchTemplate().version())).launchTemplateVersions().get(0).launchTemplateData().imageId();
    }

    private static Path stack(Path dir, String name) throws IOException {
        Path stack = TestStacks.copyExample("aws", dir, name);
        Path main = stack.resolve("main.imm");
        Files.writeString(main, Files.readString(main).replace("provider \"aws\" {\n",
                "provider \"aws\" {\n  endpoint      = \"" + ENDPOINT + "\"\n  poll_interval = 200ms\n"));
        return stack;
    }

    private static void change(Path stack, String line) throws IOException {
        Files.writeString(stack.resolve("scripts/install.sh"), line + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void theExampleBakesRollsRollsBackAndRetires() throws IOException {
        assumeTrue(ENDPOINT != null && !ENDPOINT.isBlank(), "IMM_TEST_AWS_ENDPOINT is not set");
        String name = "awsflow" + RUN;
        Path stack = stack(dir, name);
        try (Ec2Client ec2 = client(Ec2Client.builder()); AutoScalingClient asg = client(AutoScalingClient.builder());
             ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder())) {
            Network net = network(ec2, elb, name);
            List<String> vars = vars(net);

            CliRun first = imm(stack, vars, "apply", "--auto-approve");
            assertEquals(0, first.exitCode(), first.out() + first.err());
            List<Image> baked = images(ec2, name);
            assertEquals(1, baked.size());
            Image v1 = baked.get(0);
            assertTrue(v1.tags().stream().anyMatch(t -> t.key().equals("imm:bake-hash") && t.value().length() == 64), v1.tags()::toString);
            AutoScalingGroup g1 = group(asg, name);
            assertEquals(v1.imageId(), imageOf(ec2, g1));
            assertEquals(List.of(net.targetGroup()), g1.targetGroupARNs());
            assertEquals(0, imm(stack, vars, "plan", "--detailed-exitcode").exitCode());

            change(stack, "echo v2 | sudo tee /etc/motd");
            CliRun second = imm(stack, vars, "apply", "--auto-approve");
            assertEquals(0, second.exitCode(), second.out() + second.err());
            assertTrue(second.out().contains("traffic switched to"), second.out());
            Image v2 = images(ec2, name).stream().filter(i -> !i.imageId().equals(v1.imageId())).findFirst().orElseThrow();
            AutoScalingGroup g2 = group(asg, name);
            assertFalse(g2.autoScalingGroupName().equals(g1.autoScalingGroupName()));
            assertEquals(v2.imageId(), imageOf(ec2, g2));
            assertEquals(1, forwardWeight(elb, net.listener(), g2.targetGroupARNs().get(0)));
            CliRun quiet = imm(stack, vars, "plan", "--detailed-exitcode");
            assertEquals(0, quiet.exitCode(), quiet.out() + quiet.err());

            CliRun back = imm(stack, vars, "rollback", "--auto-approve");
            assertEquals(0, back.exitCode(), back.out() + back.err());
            assertFalse(back.out().contains("baking"), back.out());
            AutoScalingGroup g3 = group(asg, name);
            assertEquals(v1.imageId(), imageOf(ec2, g3));
            assertEquals("1", g3.launchTemplate().version(), "the rollback goes back to the exact launch template version");
            assertEquals(1, forwardWeight(elb, net.listener(), g3.targetGroupARNs().get(0)));

            change(stack, "echo v3 | sudo tee /etc/motd");
            CliRun third = imm(stack, vars, "apply", "--auto-approve");
            assertEquals(0, third.exitCode(), third.out() + third.err());
            CliRun retire = imm(stack, vars, "apply", "--auto-approve");
            assertEquals(0, retire.exitCode(), retire.out() + retire.err());
            List<String> left = images(ec2, name).stream().map(Image::imageId).sorted().toList();
            assertEquals(2, left.size(), "keep = 1 and the version before it: " + left + "\n" + third.out() + retire.out());
            assertTrue(retire.out().contains("retired "), retire.out());
            Image gone = v1.imageId().equals(left.get(0)) || v1.imageId().equals(left.get(1)) ? v2 : v1;
            String snapshot = gone.blockDeviceMappings().get(0).ebs().snapshotId();
            assertTrue(ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().stream().noneMatch(s -> s.snapshotId().equals(snapshot)),
                    "the retired image's snapshot " + snapshot + " is deleted");
            assertEquals(0, imm(stack, vars, "plan", "--detailed-exitcode").exitCode());

            String groupName = group(asg, name).autoScalingGroupName();
            asg.updateAutoScalingGroup(b -> b.autoScalingGroupName(groupName).desiredCapacity(3));
            CliRun drift = imm(stack, vars, "plan");
            assertTrue(drift.out().contains("(drift)"), drift.out());
            assertTrue(drift.out().contains("because drift desired 2 -> changed in the cloud to 3"), drift.out());
        }
    }

    private static int forwardWeight(ElasticLoadBalancingV2Client elb, String listener, String targetGroup) {
        var actions = elb.describeListeners(b -> b.listenerArns(listener)).listeners().get(0).defaultActions();
        for (var a : actions) {
            if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups()) {
                for (var t : a.forwardConfig().targetGroups()) {
                    if (t.targetGroupArn().equals(targetGroup)) {
                        return t.weight();
                    }
                }
            } else if (targetGroup.equals(a.targetGroupArn())) {
                return 1;
            }
        }
        return -1;
    }

    @Test
    void anApplyKilledDuringABakeLeavesNoBuilderAfterTheNext() throws Exception {
        assumeTrue(ENDPOINT != null && !ENDPOINT.isBlank(), "IMM_TEST_AWS_ENDPOINT is not set");
        String name = "awskill" + RUN;
        Path stack = stack(dir, name);
        try (Ec2Client ec2 = client(Ec2Client.builder()); ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder())) {
            List<String> vars = vars(network(ec2, elb, name));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main",
                    "apply", stack.toString(), "--auto-approve"));
            command.addAll(vars);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("IMM_AWS_CRASH_AT", "builder-launched", "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test"));
            Process killed = builder.start();
            String output = new String(killed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(killed.waitFor(120, TimeUnit.SECONDS));
            assertEquals(137, killed.exitValue(), output);
            assertEquals(1, builders(ec2, name).size(), "the killed apply left its builder running");

            assertEquals(0, CliRun.of("unlock", "--force", stack.toString()).exitCode());
            CliRun next = imm(stack, vars, "apply", "--auto-approve");
            assertEquals(0, next.exitCode(), next.out() + next.err());
            assertTrue(next.out().contains("left by an earlier bake"), next.out());
            assertEquals(List.of(), builders(ec2, name));
            assertEquals(0, imm(stack, vars, "plan", "--detailed-exitcode").exitCode());
        }
    }

    private static List<String> builders(Ec2Client ec2, String stack) {
        List<String> running = new ArrayList<>();
        ec2.describeInstances(b -> b.filters(Filter.builder().name("tag:imm:stack").values(stack).build(),
                Filter.builder().name("tag:imm:role").values("builder").build(),
                Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().forEach(r -> r.instances().forEach(i -> running.add(i.instanceId())));
        return running;
    }
}
