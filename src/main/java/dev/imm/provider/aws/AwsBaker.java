package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.ProvisionStep;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.value.Durations;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.CreateImageRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/**
 * Bakes an AMI: launches a builder from the source image (tagged {@code imm:role = builder} with the
 * image's address and bake hash), runs each step over SSM Run Command ({@code AWS-RunShellScript};
 * scripts and files travel base64-encoded in the commands, so no SSH and no bucket are needed), stops
 * the builder, creates the image with imm's tags on it and its snapshots, waits until it is available,
 * and terminates the builder, also when a step fails or the wait is interrupted.
 *
 * <p>A bake picks up what an earlier, stopped one left: an image of the stack that already carries the
 * bake hash is adopted (waited for while still pending), and any builder still running for the image
 * is terminated before a new one starts, so a killed apply leaves no builder behind the next one.
 */
final class AwsBaker {
    /** Base64 characters per command line, and lines per SendCommand, well inside SSM's parameter limits. */
    private static final int CHUNK = 16_000;
    private static final int CHUNKS_PER_COMMAND = 2;
    /** The longest execution timeout AWS-RunShellScript takes: 48 hours. */
    private static final long MAX_EXECUTION_SECONDS = 172_800;
    private static final String RUN_SHELL = "AWS-RunShellScript";
    private final AwsSession session;

    AwsBaker(AwsSession session) {
        this.session = session;
    }

    private AwsClients aws() {
        return session.aws();
    }

    BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
        Address address = request.image();
        long start = session.clock().now();
        long deadline = request.timeoutMillis() > 0 ? start + request.timeoutMillis() : Long.MAX_VALUE;
        listener.started(address, new OperationHandle("bake", request.bakeHash()));
        Optional<Image> adopted = existingImage(request);
        if (adopted.isPresent()) {
            listener.event(address, session.clock().now(), "image " + adopted.get().imageId() + " already carries bake hash "
                    + request.bakeHash().substring(0, 12) + ": adopting it");
            Image image = awaitImage(adopted.get().imageId(), address, deadline);
            terminateLeftBuilders(request, listener); // the builder of the bake that created it, if that bake was stopped
            return new BakeResult(image.imageId(), session.clock().now() - start);
        }
        terminateLeftBuilders(request, listener);
        String builder = launchBuilder(request, listener);
        ProviderException failed = null;
        try {
            listener.started(address, new OperationHandle("builder", builder));
            session.reached("builder-launched");
            awaitState(builder, "running", deadline, address);
            int n = 0;
            for (ProvisionStep step : request.steps()) {
                n++;
                String label = "step " + n + "/" + request.steps().size() + ": " + step.describe();
                listener.event(address, session.clock().now(), label);
                for (List<String> commands : commands(step, n, request.stackDirectory())) {
                    run(builder, commands, label, secrets(step), deadline, address, listener);
                }
            }
            listener.event(address, session.clock().now(), "stopping builder " + builder);
            AwsErrors.run("ec2:StopInstances", () -> aws().ec2.stopInstances(StopInstancesRequest.builder().instanceIds(builder).build()));
            awaitState(builder, "stopped", deadline, address);
            String imageId = createImage(request, builder);
            listener.started(address, new OperationHandle("image", imageId));
            listener.event(address, session.clock().now(), "creating image " + imageId + " from builder " + builder);
            tagSnapshots(awaitImage(imageId, address, deadline));
            listener.event(address, session.clock().now(), "image " + imageId + " available ("
                    + Durations.format(session.clock().now() - start) + ")");
            return new BakeResult(imageId, session.clock().now() - start);
        } catch (ProviderException | RuntimeException e) {
            failed = e instanceof ProviderException p ? p : new ProviderException("bake of " + address + " failed: " + e, false, e);
            throw failed;
        } finally {
            terminate(builder, address, listener, failed);
        }
    }

    private Optional<Image> existingImage(BakeRequest request) throws ProviderException {
        List<Image> found = new ArrayList<>();
        DescribeImagesRequest describe = DescribeImagesRequest.builder().owners("self")
                .filters(AwsReader.tagFilter(AwsTags.STACK, request.stack()), AwsReader.tagFilter(AwsTags.BAKE_HASH, request.bakeHash()),
                        Filter.builder().name("state").values("available", "pending").build())
                .build();
        AwsErrors.run("ec2:DescribeImages", () -> aws().ec2.describeImagesPaginator(describe).images().forEach(found::add));
        return found.stream().filter(i -> request.image().toString().equals(tag(i.tags(), AwsTags.IMAGE))).findFirst();
    }

    private void terminateLeftBuilders(BakeRequest request, ProgressListener listener) throws ProviderException {
        List<String> left = new ArrayList<>();
        DescribeInstancesRequest describe = DescribeInstancesRequest.builder().filters(
                AwsReader.tagFilter(AwsTags.STACK, request.stack()), AwsReader.tagFilter(AwsTags.ROLE, AwsTags.BUILDER),
                AwsReader.tagFilter(AwsTags.IMAGE, request.image().toString()),
                Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()).build();
        AwsErrors.run("ec2:DescribeInstances", () -> aws().ec2.describeInstancesPaginator(describe).reservations()
                .forEach(r -> r.instances().forEach(i -> left.add(i.instanceId()))));
        if (!left.isEmpty()) {
            listener.event(request.image(), session.clock().now(), "terminating builder " + String.join(", ", left)
                    + " left by an earlier bake");
            AwsErrors.run("ec2:TerminateInstances", () -> aws().ec2.terminateInstances(
                    TerminateInstancesRequest.builder().instanceIds(left).build()));
        }
    }

    private String launchBuilder(BakeRequest request, ProgressListener listener) throws ProviderException {
        Address address = request.image();
        List<Tag> tags = List.of(tag("Name", "imm builder " + request.stack() + " " + address), tag(AwsTags.STACK, request.stack()),
                tag(AwsTags.ROLE, AwsTags.BUILDER), tag(AwsTags.IMAGE, address.toString()), tag(AwsTags.BAKE_HASH, request.bakeHash()));
        RunInstancesRequest.Builder run = RunInstancesRequest.builder()
                .imageId(request.sourceImageId()).instanceType(request.instanceType()).minCount(1).maxCount(1)
                // one token per bake: an SDK retry after a lost answer does not launch a second builder
                .clientToken(java.util.UUID.randomUUID().toString())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
        if (!request.builder().subnet().isEmpty()) {
            run.subnetId(request.builder().subnet());
        }
        if (!request.builder().securityGroups().isEmpty()) {
            run.securityGroupIds(request.builder().securityGroups());
        }
        String profile = request.builder().instanceProfile();
        if (!profile.isEmpty()) {
            run.iamInstanceProfile(profile.startsWith("arn:") ? IamInstanceProfileSpecification.builder().arn(profile).build()
                    : IamInstanceProfileSpecification.builder().name(profile).build());
        }
        String id = AwsErrors.call("ec2:RunInstances", () -> aws().ec2.runInstances(run.build()).instances().get(0).instanceId());
        listener.event(address, session.clock().now(), "launched builder " + id + " (" + request.instanceType() + ") from "
                + request.sourceImageId());
        return id;
    }

    private void awaitState(String instance, String state, long deadline, Address address) throws ProviderException {
        while (true) {
            List<Instance> found = new ArrayList<>();
            try {
                AwsErrors.run("ec2:DescribeInstances", () -> aws().ec2.describeInstances(DescribeInstancesRequest.builder()
                        .instanceIds(instance).build()).reservations().forEach(r -> found.addAll(r.instances())));
            } catch (ProviderException e) {
                if (!AwsErrors.code(e).equals("InvalidInstanceID.NotFound")) {
                    throw e;
                }
                // EC2 is eventually consistent: a builder just launched may not be described yet
            }
            String now = found.isEmpty() || found.get(0).state() == null ? "unknown" : found.get(0).state().nameAsString();
            if (now.equals(state)) {
                return;
            }
            if (now.equals("terminated") || now.equals("shutting-down")) {
                throw new ProviderException("bake of " + address + " failed: builder " + instance + " is " + now, false);
            }
            timeLeft(deadline, address, "builder " + instance + " to be " + state);
            session.pause("builder " + instance);
        }
    }

    private void timeLeft(long deadline, Address address, String waitingFor) throws ProviderException {
        if (session.clock().now() >= deadline) {
            throw new ProviderException("bake of " + address + " timed out waiting for " + waitingFor
                    + "; raise the image's build timeout", false);
        }
    }

    /**
     * The SendCommand batches a step needs: uploads of its file in base64 chunks, then the command that
     * writes or runs it.
     */
    static List<List<String>> commands(ProvisionStep step, int n, Path stackDirectory) throws ProviderException {
        List<List<String>> batches = new ArrayList<>();
        String staged = "/tmp/imm/step-" + n + ".b64";
        if (step instanceof ProvisionStep.Shell shell && shell.inline() != null) {
            List<String> lines = new ArrayList<>(exports(shell.env()));
            lines.add("set -e");
            lines.addAll(shell.inline());
            batches.add(lines);
            return batches;
        }
        byte[] content = read(stackDirectory, step.stackFile());
        String encoded = Base64.getEncoder().encodeToString(content);
        List<String> upload = new ArrayList<>(List.of("set -e", "mkdir -p /tmp/imm", ": > " + staged));
        for (int at = 0; at < encoded.length(); at += CHUNK) {
            if (upload.size() - 3 >= CHUNKS_PER_COMMAND) {
                batches.add(upload);
                upload = new ArrayList<>(List.of("set -e"));
            }
            upload.add("printf '%s' '" + encoded.substring(at, Math.min(encoded.length(), at + CHUNK)) + "' >> " + staged);
        }
        batches.add(upload);
        List<String> finish = new ArrayList<>();
        if (step instanceof ProvisionStep.Shell shell) {
            finish.addAll(exports(shell.env()));
            finish.add("set -e");
            finish.add("base64 -d " + staged + " > /tmp/imm/step-" + n + ".sh");
            finish.add("chmod +x /tmp/imm/step-" + n + ".sh");
            finish.add("/bin/bash /tmp/imm/step-" + n + ".sh");
        } else {
            String destination = ((ProvisionStep.FileUpload) step).destination();
            finish.add("set -e");
            finish.add("mkdir -p \"$(dirname " + quote(destination) + ")\"");
            finish.add("base64 -d " + staged + " > " + quote(destination));
        }
        batches.add(finish);
        return batches;
    }

    private static byte[] read(Path stackDirectory, String path) throws ProviderException {
        try {
            return Files.readAllBytes(stackDirectory.resolve(path));
        } catch (IOException e) {
            throw new ProviderException("cannot read " + path + " for the bake: " + e.getMessage(), false, e);
        }
    }

    private static List<String> exports(Map<String, Value> env) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(env).forEach((k, v) -> lines.add("export " + k + "=" + quote(text(v))));
        return lines;
    }

    private static String text(Value v) {
        Value u = Values.unmarked(v);
        return u instanceof Value.Str s ? s.value() : Values.render(u);
    }

    /** The values of the step's sensitive variables: blanked out of any output imm repeats. */
    private static List<String> secrets(ProvisionStep step) {
        List<String> secrets = new ArrayList<>();
        if (step instanceof ProvisionStep.Shell shell) {
            shell.env().values().stream().filter(Values::containsSensitive).map(AwsBaker::text)
                    .filter(s -> !s.isEmpty()).forEach(secrets::add);
        }
        return secrets;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs one batch of commands on the builder and waits for it; a failure says which step and what it printed. */
    private void run(String builder, List<String> commands, String label, List<String> secrets, long deadline, Address address,
                     ProgressListener listener) throws ProviderException {
        long seconds = deadline == Long.MAX_VALUE ? 3600
                : Math.min(MAX_EXECUTION_SECONDS, Math.max(60, (deadline - session.clock().now()) / 1000));
        SendCommandRequest send = SendCommandRequest.builder().documentName(RUN_SHELL).instanceIds(builder)
                .parameters(Map.of("commands", commands, "executionTimeout", List.of(Long.toString(seconds))))
                .comment("imm " + address).build();
        String commandId;
        while (true) {
            try {
                commandId = AwsErrors.call("ssm:SendCommand", () -> aws().ssm.sendCommand(send).command().commandId());
                break;
            } catch (ProviderException e) {
                if (!(e.getCause() instanceof InvalidInstanceIdException)) {
                    // an error about the request may quote the commands, and so the step's secrets
                    throw new ProviderException(blank(e.getMessage(), secrets), e.retryable());
                }
                // the builder has not registered with Systems Manager yet
                timeLeft(deadline, address, "builder " + builder + " to register with Systems Manager (its instance profile"
                        + " must allow it, as AmazonSSMManagedInstanceCore does)");
                session.pause("builder " + builder + " to register with Systems Manager");
            }
        }
        String id = commandId;
        CommandInvocationStatus seen = null;
        while (true) {
            GetCommandInvocationResponse invocation;
            try {
                invocation = AwsErrors.call("ssm:GetCommandInvocation", () -> aws().ssm.getCommandInvocation(
                        GetCommandInvocationRequest.builder().commandId(id).instanceId(builder).build()));
            } catch (ProviderException e) {
                if (!(e.getCause() instanceof InvocationDoesNotExistException)) {
                    throw e;
                }
                invocation = null;
            }
            CommandInvocationStatus status = invocation == null ? CommandInvocationStatus.PENDING : invocation.status();
            if (status != seen && status != CommandInvocationStatus.PENDING) {
                listener.event(address, session.clock().now(), label + ": " + status);
                seen = status;
            }
            if (status == CommandInvocationStatus.SUCCESS) {
                return;
            }
            if (status == CommandInvocationStatus.FAILED || status == CommandInvocationStatus.CANCELLED
                    || status == CommandInvocationStatus.TIMED_OUT) {
                throw new ProviderException("bake of " + address + " failed at " + label + ": the command ended "
                        + invocation.statusDetails() + " (exit " + invocation.responseCode() + ")" + tail(invocation, secrets), false);
            }
            timeLeft(deadline, address, label);
            session.pause(label);
        }
    }

    private static String blank(String text, List<String> secrets) {
        for (String secret : secrets) {
            text = text.replace(secret, "(sensitive)");
        }
        return text;
    }

    /** The last lines the step printed to standard error, with secrets blanked. */
    private static String tail(GetCommandInvocationResponse invocation, List<String> secrets) {
        String err = invocation.standardErrorContent() == null ? "" : blank(invocation.standardErrorContent().strip(), secrets);
        if (err.isEmpty()) {
            return "";
        }
        String[] lines = err.split("\n");
        int from = Math.max(0, lines.length - 5);
        return ":\n  " + String.join("\n  ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private String createImage(BakeRequest request, String builder) throws ProviderException {
        Map<String, String> all = new TreeMap<>(request.tags());
        all.put(AwsTags.STACK, request.stack());
        all.put(AwsTags.IMAGE, request.image().toString());
        all.put(AwsTags.BAKE_HASH, request.bakeHash());
        all.put(AwsTags.SOURCE, request.sourceImageId());
        List<Tag> tags = all.entrySet().stream().map(e -> tag(e.getKey(), e.getValue())).toList();
        return AwsErrors.call("ec2:CreateImage", () -> aws().ec2.createImage(CreateImageRequest.builder().instanceId(builder)
                .name(AwsNames.image(request.stack(), request.image(), request.bakeHash()))
                .description("imm " + request.stack() + " " + request.image() + " bake " + request.bakeHash())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.IMAGE).tags(tags).build())
                .build()).imageId());
    }

    /**
     * Gives the image's snapshots the image's tags, so that what the stack owns can be told apart (and
     * costed) in the account. Done once the image is available: not every endpoint takes snapshot tags in
     * CreateImage.
     */
    private void tagSnapshots(Image image) throws ProviderException {
        List<String> snapshots = image.blockDeviceMappings().stream().filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                .map(m -> m.ebs().snapshotId()).toList();
        if (!snapshots.isEmpty()) {
            List<Tag> tags = image.tags().stream().filter(t -> t.key().startsWith("imm:")).toList();
            AwsErrors.run("ec2:CreateTags", () -> aws().ec2.createTags(CreateTagsRequest.builder().resources(snapshots).tags(tags).build()));
        }
    }

    private Image awaitImage(String imageId, Address address, long deadline) throws ProviderException {
        while (true) {
            List<Image> found;
            try {
                found = AwsErrors.call("ec2:DescribeImages", () -> aws().ec2.describeImages(
                        DescribeImagesRequest.builder().imageIds(imageId).build()).images());
            } catch (ProviderException e) {
                if (!AwsErrors.code(e).equals("InvalidAMIID.NotFound")) {
                    throw e;
                }
                found = List.of(); // an image just created may not be described yet
            }
            String state = found.isEmpty() ? "pending" : found.get(0).stateAsString();
            if ("available".equals(state)) {
                return found.get(0);
            }
            if (!"pending".equals(state)) {
                throw new ProviderException("bake of " + address + " failed: image " + imageId + " is " + state
                        + (found.isEmpty() || found.get(0).stateReason() == null ? "" : " (" + found.get(0).stateReason().message() + ")"),
                        false);
            }
            timeLeft(deadline, address, "image " + imageId + " to become available");
            session.pause("image " + imageId);
        }
    }

    /**
     * Terminates the builder. When the bake failed already, a failure to terminate is added to that
     * failure (and the next bake of the image terminates the builder) instead of hiding it.
     */
    private void terminate(String builder, Address address, ProgressListener listener, ProviderException failed)
            throws ProviderException {
        // after Ctrl-C the thread is interrupted, and the SDK refuses calls on an interrupted thread
        boolean interrupted = Thread.interrupted();
        try {
            AwsErrors.run("ec2:TerminateInstances", () -> aws().ec2.terminateInstances(
                    TerminateInstancesRequest.builder().instanceIds(builder).build()));
            listener.event(address, session.clock().now(), "builder " + builder + " terminated");
        } catch (ProviderException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
            listener.event(address, session.clock().now(), "builder " + builder + " could not be terminated ("
                    + e.getMessage() + "); the next bake of " + address + " terminates it");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }
}
