package dev.imm.model;

import java.util.List;

/**
 * What an instance is launched with. A change to any of it means instances are replaced (a roll);
 * {@code userDataSha256} stands for the user data, which is never stored in clear.
 */
public record LaunchConfiguration(String imageId, String instanceType, String userDataSha256, List<String> subnets,
                                  List<String> securityGroups, String iamProfile) {
    public LaunchConfiguration {
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
    }
}
