package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.testing.AwsTestCredentials;
import dev.imm.testing.FakeAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imm plan} on a stack with {@code provider "aws"}, against {@link FakeAws} on 127.0.0.1, which
 * records every call it is sent: a plan only reads, names the account and region, and each problem
 * reaching AWS is one diagnostic, never a stack trace.
 */
@ExtendWith(AwsTestCredentials.class)
class AwsCliTest {
    @TempDir
    Path dir;

    private Path stack(String endpoint) throws IOException {
        Path stack = dir.resolve("shop");
        Files.createDirectories(stack);
        StringBuilder text = new StringBuilder("""
                provider "aws" {
                  region   = "eu-west-1"
                  endpoint = "%s"
                }

                image "app" {
                  source { ssm_parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }
                  provision "shell" { inline = ["echo hello"] }
                }
                """.formatted(endpoint));
        for (int i = 0; i < 3; i++) {
            text.append("""

                    fleet "f%04d" {
                      image         = image.app
                      instance_type = "t3.small"
                      min           = 1
                      max           = 4
                      desired       = 2
                      subnets       = ["subnet-0aa", "subnet-0bb"]
                    }
                    """.formatted(i));
        }
        Files.writeString(stack.resolve("main.imm"), text.toString());
        return stack;
    }

    @Test
    void aPlanOnlyReadsAndNamesTheAccount() throws IOException {
        try (FakeAws aws = FakeAws.start("shop", 3, "ab".repeat(32))) {
            Path stack = stack(aws.endpoint().toString());
            CliRun run = CliRun.of("plan", stack.toString(), "--no-color");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().startsWith("Cloud: AWS account 123456789012, region eu-west-1, endpoint " + aws.endpoint() + "\n"), run.out());
            assertTrue(run.out().contains("* image.app will be baked"), run.out());
            assertTrue(run.out().contains("<> fleet.f0000 will roll"), run.out());
            List<String> calls = aws.calls();
            assertFalse(calls.isEmpty());
            assertEquals(List.of(), calls.stream().filter(c -> !c.matches("\\w+:(Describe|Get)\\w+")).toList(),
                    "a plan made a call that is not a read: " + calls);
            CliRun json = CliRun.of("plan", stack.toString(), "--format", "json");
            assertTrue(json.out().contains("\"cloud\" : \"AWS account 123456789012, region eu-west-1, endpoint "), json.out());
            assertEquals(List.of(), aws.calls().stream().filter(c -> !c.matches("\\w+:(Describe|Get)\\w+")).toList());
        }
    }

    @Test
    void aSavedPlanWhoseSourceMovedIsRefused() throws IOException {
        try (FakeAws aws = FakeAws.start("shop", 3, "ab".repeat(32))) {
            Path stack = stack(aws.endpoint().toString());
            Path saved = dir.resolve("shop.plan");
            assertEquals(0, CliRun.of("plan", stack.toString(), "-out", saved.toString()).exitCode());
            aws.publish("ami-0ddddddddddddddd4");
            aws.clearCalls();
            CliRun apply = CliRun.of("apply", saved.toString(), "--no-color");
            assertEquals(1, apply.exitCode(), apply.out() + apply.err());
            assertTrue(apply.err().contains("error: the stack no longer gives this plan"), apply.err());
            assertTrue(apply.err().contains("an image source (a name filter, a public parameter) now resolves to another image"),
                    apply.err());
            assertEquals(List.of(), aws.calls().stream().filter(c -> !c.matches("\\w+:(Describe|Get)\\w+")).toList());
        }
    }

    @Test
    void anUnreachableEndpointIsOneDiagnostic() throws IOException {
        Path stack = stack("http://127.0.0.1:1");
        CliRun run = CliRun.of("plan", stack.toString(), "--no-color");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: cannot reach the \"aws\" cloud\n"), run.err());
        assertTrue(run.err().contains("cannot reach the AWS endpoint for GetCallerIdentity"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void aRefusedReadNamesThePermission() throws IOException {
        try (FakeAws aws = FakeAws.start("shop", 3, "ab".repeat(32))) {
            aws.refuse("autoscaling:DescribeAutoScalingGroups", "AccessDenied");
            CliRun run = CliRun.of("plan", stack(aws.endpoint().toString()).toString(), "--no-color");
            assertEquals(1, run.exitCode());
            assertTrue(run.err().contains("error: cannot read the cloud"), run.err());
            assertTrue(run.err().contains("the IAM permission autoscaling:DescribeAutoScalingGroups is missing"), run.err());
        }
    }

    @Test
    void aRefusedSourceNamesThePermission() throws IOException {
        try (FakeAws aws = FakeAws.start("shop", 3, "ab".repeat(32))) {
            aws.refuse("ssm:GetParameter", "AccessDeniedException");
            CliRun run = CliRun.of("plan", stack(aws.endpoint().toString()).toString(), "--no-color");
            assertEquals(1, run.exitCode());
            assertTrue(run.err().contains("error: cannot resolve the source of image.app"), run.err());
            assertTrue(run.err().contains("the IAM permission ssm:GetParameter is missing"), run.err());
        }
    }
}
