package dev.imm.provider.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of one session, sharing one HTTP client (the JDK's URLConnection: no Netty, no Apache
 * client), one credentials provider and one region. Credentials, region and endpoint follow the SDK's
 * standard chain unless the provider block names them; retries use the SDK's adaptive strategy (it
 * slows down under throttling). Tests pass their own HTTP client and interceptors, to serve responses
 * from memory or to record every call.
 */
final class AwsClients implements AutoCloseable {
    final Ec2Client ec2;
    final AutoScalingClient autoscaling;
    final ElasticLoadBalancingV2Client elb;
    final SsmClient ssm;
    final StsClient sts;
    final Region region;
    private final SdkHttpClient http;

    private AwsClients(Region region, AwsCredentialsProvider credentials, AwsSettings settings, SdkHttpClient http,
                       List<ExecutionInterceptor> interceptors) {
        this.region = region;
        this.http = http;
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2);
        interceptors.forEach(override::addExecutionInterceptor);
        ClientOverrideConfiguration config = override.build();
        this.ec2 = configure(Ec2Client.builder(), region, credentials, settings, config).httpClient(http).build();
        this.autoscaling = configure(AutoScalingClient.builder(), region, credentials, settings, config).httpClient(http).build();
        this.elb = configure(ElasticLoadBalancingV2Client.builder(), region, credentials, settings, config).httpClient(http).build();
        this.ssm = configure(SsmClient.builder(), region, credentials, settings, config).httpClient(http).build();
        this.sts = configure(StsClient.builder(), region, credentials, settings, config).httpClient(http).build();
    }

    /**
     * Clients for the settings; {@code http} null for the JDK's client. Fails with an SDK client exception
     * when no region can be found.
     */
    static AwsClients open(AwsSettings settings, SdkHttpClient http, List<ExecutionInterceptor> interceptors) {
        Region region = settings.region() != null ? Region.of(settings.region())
                : DefaultAwsRegionProviderChain.builder().build().getRegion();
        AwsCredentialsProvider credentials = settings.profile() != null
                ? ProfileCredentialsProvider.builder().profileName(settings.profile()).build()
                : DefaultCredentialsProvider.builder().build();
        return new AwsClients(region, credentials, settings, http != null ? http : UrlConnectionHttpClient.create(),
                new ArrayList<>(interceptors));
    }

    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, Region region, AwsCredentialsProvider credentials,
                                                                  AwsSettings settings, ClientOverrideConfiguration config) {
        builder.region(region).credentialsProvider(credentials).overrideConfiguration(config);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    @Override
    public void close() {
        ec2.close();
        autoscaling.close();
        elb.close();
        ssm.close();
        sts.close();
        http.close();
    }
}
