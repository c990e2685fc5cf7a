package dev.imm.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.SourceSpec;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import dev.imm.provider.ProviderException;
import dev.imm.testing.AwsTestCredentials;
import dev.imm.testing.FakeAws;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provider's reads at the SDK boundary, against {@link FakeAws} on 127.0.0.1: what a plan asks AWS
 * grows with pages, not with fleets; the live state is read back as imm wrote it; refusals, missing
 * credentials or region and an unreachable endpoint each give one message that says what to do.
 */
@ExtendWith(AwsTestCredentials.class)
class AwsReadTest {
    private static final String HASH = "ab".repeat(32);

    static AwsProvider provider(URI endpoint, CallRecorder recorder) {
        return new AwsProvider(new AwsSettings("eu-west-1", null, endpoint, null), null, List.of(recorder), AwsClock.SYSTEM);
    }

    /** 1 STS call, 1 page of images, then pages of 100 groups, 200 launch template versions and 1,000 instances. */
    static int expectedCalls(int fleets) {
        return 1 + 1 + ceil(fleets, AwsReader.GROUPS_PER_PAGE) + ceil(fleets, 200) + Math.max(1, ceil(2 * fleets, 1000));
    }

    private static int ceil(int n, int page) {
        return (n + page - 1) / page;
    }

    @Test
    void aReadMakesCallsPerPageNotPerFleet() throws ProviderException {
        StringBuilder figures = new StringBuilder();
        for (int fleets : new int[] {20, 200, 2000}) {
            try (FakeAws aws = FakeAws.start("bench", fleets, HASH)) {
                CallRecorder recorder = new CallRecorder();
                AwsProvider provider = provider(aws.endpoint(), recorder);
                provider.target();
                LiveState live = provider.read("bench");
                provider.close();
                assertEquals(fleets, live.fleets().size());
                assertEquals(expectedCalls(fleets), recorder.calls().size(), () -> fleets + " fleets: " + recorder.counts());
                assertTrue(recorder.calls().stream().allMatch(c -> c.matches(".*:(Describe|Get)\\w+")), recorder.calls()::toString);
                figures.append(fleets).append(" fleets: ").append(recorder.calls().size()).append(" calls ")
                        .append(recorder.counts()).append('\n');
            }
        }
        System.out.print("AwsReadTest calls per read:\n" + figures);
    }

    @Test
    void theLiveStateIsWhatImmWrote() throws ProviderException {
        try (FakeAws aws = FakeAws.start("shop", 3, HASH); AwsProvider provider = provider(aws.endpoint(), new CallRecorder())) {
            assertEquals("AWS account " + FakeAws.ACCOUNT + ", region eu-west-1, endpoint " + aws.endpoint(), provider.target());
            LiveState live = provider.read("shop");
            assertEquals(1, live.images().size());
            assertEquals(Address.of("image", "app"), live.images().get(0).address());
            assertEquals(HASH, live.images().get(0).bakeHash());
            assertEquals(FakeAws.PUBLIC_IMAGE, live.images().get(0).sourceImageId());
            LiveFleet web = live.fleets().get(0);
            assertEquals(Address.of("fleet", "f0000"), web.address());
            assertEquals("imm-shop-fleet.f0000-v1", web.fleetId());
            assertEquals(List.of("subnet-0aa", "subnet-0bb"), web.launch().subnets());
            assertEquals("t3.small", web.launch().instanceType());
            assertEquals(2, web.instances().size());
            assertEquals(0, web.instancesOffImage());
            assertTrue(web.instances().stream().allMatch(i -> i.healthy()));
            assertEquals(1, web.min());
            assertEquals(4, web.max());
            assertEquals(2, web.desired());
            assertEquals(null, web.roll());
        }
    }

    @Test
    void sourcesResolveOncePerSession() throws ProviderException {
        try (FakeAws aws = FakeAws.start("shop", 0, HASH)) {
            CallRecorder recorder = new CallRecorder();
            AwsProvider provider = provider(aws.endpoint(), recorder);
            provider.target();
            SourceSpec ssm = new SourceSpec.BySsmParameter("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
            SourceSpec filter = new SourceSpec.ByFilter("al2023-ami-2023.*-x86_64", List.of("137112412989"));
            assertEquals(Optional.of(FakeAws.PUBLIC_IMAGE), provider.sources().resolve(ssm));
            assertEquals(Optional.of(FakeAws.PUBLIC_IMAGE), provider.sources().resolve(filter));
            assertEquals(Optional.of(FakeAws.PUBLIC_IMAGE), provider.sources().resolve(ssm));
            assertEquals(Optional.of("ami-0123456789abcdef0"), provider.sources().resolve(new SourceSpec.ById("ami-0123456789abcdef0")));
            assertEquals(Map.of("Ec2:DescribeImages", 1, "Ssm:GetParameter", 1, "Sts:GetCallerIdentity", 1), recorder.counts());
            provider.close();
        }
    }

    @Test
    void aRefusedCallNamesTheMissingPermission() throws ProviderException {
        try (FakeAws aws = FakeAws.start("shop", 1, HASH); AwsProvider provider = provider(aws.endpoint(), new CallRecorder())) {
            aws.refuse("ec2:DescribeImages", "UnauthorizedOperation");
            provider.target();
            ProviderException e = assertThrows(ProviderException.class, () -> provider.read("shop"));
            assertEquals("DescribeImages was refused (UnauthorizedOperation): the IAM permission ec2:DescribeImages is missing"
                    + " for these credentials; docs/aws.md lists the permissions imm needs: refused by the test endpoint", e.getMessage());
            aws.refuse("ssm:GetParameter", "AccessDeniedException");
            SourceSpec ssm = new SourceSpec.BySsmParameter("/aws/service/x");
            assertEquals(Optional.empty(), provider.sources().resolve(ssm));
            assertTrue(provider.sources().failure(ssm).contains("the IAM permission ssm:GetParameter is missing"),
                    provider.sources().failure(ssm));
        }
    }

    @Test
    void anEndpointThatDoesNotImplementACallSaysWhichCall() throws ProviderException {
        try (FakeAws aws = FakeAws.start("shop", 1, HASH); AwsProvider provider = provider(aws.endpoint(), new CallRecorder())) {
            provider.target();
            ProviderException e = assertThrows(ProviderException.class, () -> provider.retireImage("ami-0aaaaaaaaaaaaaaa1"));
            assertTrue(e.getMessage().startsWith("the endpoint does not implement ec2:"), e.getMessage());
        }
    }

    @Test
    void anUnreachableEndpointIsSaidOnce() {
        AwsProvider provider = provider(URI.create("http://127.0.0.1:1"), new CallRecorder());
        ProviderException e = assertThrows(ProviderException.class, provider::target);
        assertTrue(e.getMessage().startsWith("cannot reach the AWS endpoint for GetCallerIdentity (ConnectException"), e.getMessage());
        assertTrue(e.getMessage().endsWith("check endpoint in the provider block, AWS_ENDPOINT_URL and the network"), e.getMessage());
    }

    @Test
    void aMissingRegionIsSaidWithWhatToSet() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null
                && System.getProperty("aws.region") == null && !java.nio.file.Files.exists(java.nio.file.Path.of(
                        System.getProperty("user.home"), ".aws", "config")), "a region is set on this machine");
        AwsProvider provider = new AwsProvider(new AwsSettings(null, null, URI.create("http://127.0.0.1:1"), null), null, List.of(),
                AwsClock.SYSTEM);
        ProviderException e = assertThrows(ProviderException.class, provider::target);
        assertEquals("no AWS region is set: give region in the provider \"aws\" block, or set AWS_REGION", e.getMessage());
    }

    @Test
    void missingCredentialsAreSaidWithWhatToSet() {
        AwsProvider provider = new AwsProvider(new AwsSettings("eu-west-1", "imm-test-no-such-profile", URI.create("http://127.0.0.1:1"), null),
                null, List.of(), AwsClock.SYSTEM);
        ProviderException e = assertThrows(ProviderException.class, provider::target);
        assertTrue(e.getMessage().startsWith("no AWS credentials were found: set AWS_PROFILE"), e.getMessage());
    }
}
