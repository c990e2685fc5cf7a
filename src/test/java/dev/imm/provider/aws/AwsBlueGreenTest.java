package dev.imm.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.testing.AwsTestCredentials;
import java.net.URI;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blue/green rollouts that could not switch traffic safely are refused before anything is created: a
 * Network Load Balancer (no weighted forward between two target groups), a target group of another
 * type than instance, a listener rule that forwards to the fleet's target group.
 */
@ExtendWith(AwsTestCredentials.class)
class AwsBlueGreenTest {
    private static final String ELB = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final String TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef";
    private static final String LB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef";

    private static String elb(String action, String result) {
        return "<" + action + "Response xmlns=\"" + ELB + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></" + action + "Response>";
    }

    private static String targetGroup(String type) {
        return elb("DescribeTargetGroups", "<TargetGroups><member><TargetGroupArn>" + TG + "</TargetGroupArn><TargetGroupName>web"
                + "</TargetGroupName><Protocol>HTTP</Protocol><Port>80</Port><VpcId>vpc-1</VpcId><TargetType>" + type + "</TargetType>"
                + "<LoadBalancerArns><member>" + LB + "</member></LoadBalancerArns></member></TargetGroups>");
    }

    private static String loadBalancer(String type) {
        return elb("DescribeLoadBalancers", "<LoadBalancers><member><LoadBalancerArn>" + LB + "</LoadBalancerArn><LoadBalancerName>web"
                + "</LoadBalancerName><Type>" + type + "</Type></member></LoadBalancers>");
    }

    private static ProviderException refused(ScriptedHttp http) {
        LaunchConfiguration launch = new LaunchConfiguration("ami-0bbbbbbbbbbbbbbb2", "t3.small", "", List.of("subnet-0aa"), List.of(), "");
        FleetRequest fleet = new FleetRequest("shop", Address.of("fleet", "web"), launch, 2, 8, 4, List.of(TG), new TreeMap<>(), null);
        RolloutPolicy policy = RolloutPolicy.defaults(Address.of("rollout", "bg"), null);
        RolloutPolicy blueGreen = new RolloutPolicy(policy.address(), RolloutPolicy.Strategy.BLUE_GREEN, policy.minHealthy(),
                policy.maxHealthy(), policy.warmupMillis(), policy.onFailure(), List.of(), 0, List.of(), 0, 1000, 1000,
                policy.stepTimeoutMillis(), false, null);
        try (AwsProvider provider = new AwsProvider(new AwsSettings("eu-west-1", null, URI.create("http://127.0.0.1:1"), null), http,
                List.of(), AwsClock.SYSTEM)) {
            return assertThrows(ProviderException.class,
                    () -> provider.roll(new RollRequest("web", launch, blueGreen, fleet), ProgressListener.NONE));
        }
    }

    private static void nothingChanged(ScriptedHttp http) {
        assertTrue(http.actions().stream().allMatch(a -> a.startsWith("Describe")), http.actions()::toString);
    }

    @Test
    void aNetworkLoadBalancerIsRefused() {
        ScriptedHttp http = new ScriptedHttp().on("DescribeAutoScalingGroups", ScriptedHttp.group(4, null))
                .on("DescribeTargetGroups", targetGroup("instance")).on("DescribeLoadBalancers", loadBalancer("network"));
        ProviderException e = refused(http);
        assertEquals("load balancer web is a network load balancer; a blue/green rollout switches traffic with a weighted forward"
                + " between two target groups, which only Application Load Balancers have (use the rolling or canary strategy)",
                e.getMessage());
        nothingChanged(http);
    }

    @Test
    void aTargetGroupOfIpTargetsIsRefused() {
        ScriptedHttp http = new ScriptedHttp().on("DescribeAutoScalingGroups", ScriptedHttp.group(4, null))
                .on("DescribeTargetGroups", targetGroup("ip"));
        ProviderException e = refused(http);
        assertTrue(e.getMessage().startsWith("target group targetgroup/web/0123456789abcdef has target type ip;"), e.getMessage());
        nothingChanged(http);
    }

    @Test
    void aListenerRuleThatForwardsToTheFleetIsRefused() {
        String partner = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/imm-bg-x/1";
        ScriptedHttp http = new ScriptedHttp().on("DescribeAutoScalingGroups", ScriptedHttp.group(4, null))
                .on("DescribeTargetGroups", targetGroup("instance"), elb("DescribeTargetGroups", "<TargetGroups><member><TargetGroupArn>"
                        + partner + "</TargetGroupArn><TargetGroupName>imm-bg-x</TargetGroupName></member></TargetGroups>"))
                .on("DescribeLoadBalancers", loadBalancer("application"))
                .on("DescribeListeners", elb("DescribeListeners", "<Listeners><member><ListenerArn>arn:listener/1</ListenerArn>"
                        + "<DefaultActions><member><Type>forward</Type><TargetGroupArn>" + TG + "</TargetGroupArn></member>"
                        + "</DefaultActions></member></Listeners>"))
                .on("DescribeRules", elb("DescribeRules", "<Rules><member><RuleArn>arn:rule/7</RuleArn><Priority>7</Priority>"
                        + "<IsDefault>false</IsDefault><Actions><member><Type>forward</Type><TargetGroupArn>" + TG + "</TargetGroupArn>"
                        + "</member></Actions></member></Rules>"));
        ProviderException e = refused(http);
        assertTrue(e.getMessage().startsWith("listener rule arn:rule/7 (priority 7) forwards to targetgroup/web/0123456789abcdef;"),
                e.getMessage());
        nothingChanged(http);
    }
}
