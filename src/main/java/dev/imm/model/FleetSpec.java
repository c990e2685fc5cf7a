package dev.imm.model;

import dev.imm.diag.SourceRange;
import dev.imm.value.Value;
import java.util.List;
import java.util.SortedMap;

/**
 * A fleet (an Auto Scaling group) as declared; one per instance of a {@code for_each}. The launch
 * configuration (image, instance type, user data, network, security groups, IAM profile) is what a roll
 * replaces instances for; sizes, tags and target groups change in place. {@code userData} and tag values
 * may be unknown until a bake (an image id, say). {@code rollout} is null for the provider's default policy.
 * {@code containers} are the container images its expressions use (a digest in the user data, say): the
 * fleet rolls only after they are baked and pass their policy.
 */
public record FleetSpec(Address address, Address image, String instanceType, int min, int max, int desired,
                        List<String> subnets, List<String> securityGroups, String iamProfile, Value userData,
                        List<String> targetGroups, HealthCheck health, Address rollout,
                        SortedMap<String, Value> tags, boolean preventDestroy, SourceRange range, List<Address> containers) {
    /** A fleet that uses no container image. */
    public FleetSpec(Address address, Address image, String instanceType, int min, int max, int desired,
                     List<String> subnets, List<String> securityGroups, String iamProfile, Value userData,
                     List<String> targetGroups, HealthCheck health, Address rollout,
                     SortedMap<String, Value> tags, boolean preventDestroy, SourceRange range) {
        this(address, image, instanceType, min, max, desired, subnets, securityGroups, iamProfile, userData, targetGroups,
                health, rollout, tags, preventDestroy, range, List.of());
    }

    public FleetSpec {
        containers = containers == null ? List.of() : List.copyOf(containers);
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }

    /** How instances are judged healthy: {@code ec2} or {@code elb}, after a grace period. */
    public record HealthCheck(String type, long graceMillis) {
        public static final HealthCheck DEFAULT = new HealthCheck("ec2", 300_000);
    }
}
