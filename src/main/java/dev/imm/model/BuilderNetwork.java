package dev.imm.model;

import java.util.List;

/**
 * Where a bake's builder instance runs: a subnet, security groups and an instance profile (which must
 * let the builder reach Systems Manager, as AmazonSSMManagedInstanceCore does). Empty values leave the
 * choice to the cloud (the default VPC's subnet and security group, no profile). None of it is a bake
 * input: where the builder runs does not change what the image holds.
 */
public record BuilderNetwork(String subnet, List<String> securityGroups, String instanceProfile) {
    public static final BuilderNetwork DEFAULT = new BuilderNetwork("", List.of(), "");

    public BuilderNetwork {
        subnet = subnet == null ? "" : subnet;
        securityGroups = List.copyOf(securityGroups);
        instanceProfile = instanceProfile == null ? "" : instanceProfile;
    }
}
