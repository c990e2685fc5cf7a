package dev.imm.provider.aws;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code provider "aws"} block. Each of {@code region}, {@code profile} and {@code endpoint} is
 * optional: left out, it comes from the SDK's standard chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * the shared config and credentials files, instance metadata). {@code pollInterval} is how long imm
 * waits between two looks at an operation that takes time (a builder booting, an instance refresh).
 */
public record AwsSettings(String region, String profile, URI endpoint, Duration pollInterval) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);

    public AwsSettings {
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    }
}
