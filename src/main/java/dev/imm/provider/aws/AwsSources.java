package dev.imm.provider.aws;

import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import dev.imm.provider.ProviderException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Resolves image sources against AWS: a public parameter with SSM GetParameter (the
 * {@code /aws/service/…} parameters that std/sources names), a name filter with DescribeImages (owners,
 * name pattern, available, the newest by creation date). Each source is resolved once per session: the
 * plan pins the id, and the apply that follows bakes from exactly that id (a saved plan is planned again
 * and refused when a source moved, since the id is a bake input). Why a source found nothing, when AWS
 * said why, is kept for the plan's diagnostics.
 */
final class AwsSources implements SourceResolver {
    /** The session's clients; opening them may fail (no region, say), which is then why a source has no id. */
    @FunctionalInterface
    interface Clients {
        AwsClients get() throws ProviderException;
    }

    private final Clients clients;
    private final Map<SourceSpec, Optional<String>> resolved = new ConcurrentHashMap<>();
    private final Map<SourceSpec, String> failures = new ConcurrentHashMap<>();

    AwsSources(Clients clients) {
        this.clients = clients;
    }

    @Override
    public Optional<String> resolve(SourceSpec source) {
        if (source instanceof SourceSpec.ById id) {
            return Optional.of(id.id());
        }
        if (!(source instanceof SourceSpec.ByFilter) && !(source instanceof SourceSpec.BySsmParameter)) {
            return Optional.empty();
        }
        return resolved.computeIfAbsent(source, s -> {
            try {
                return lookUp(s);
            } catch (ProviderException e) {
                failures.put(s, e.getMessage());
                return Optional.empty();
            }
        });
    }

    @Override
    public String failure(SourceSpec source) {
        return failures.get(source);
    }

    private Optional<String> lookUp(SourceSpec source) throws ProviderException {
        AwsClients aws = clients.get();
        if (source instanceof SourceSpec.BySsmParameter p) {
            try {
                String value = AwsErrors.call("ssm:GetParameter",
                        () -> aws.ssm.getParameter(GetParameterRequest.builder().name(p.parameter()).build()).parameter().value());
                return Optional.of(value.trim());
            } catch (ProviderException e) {
                if (e.getCause() instanceof ParameterNotFoundException) {
                    throw new ProviderException("the parameter " + p.parameter() + " does not exist in "
                            + aws.region + "; check its name (std/sources lists the public ones)", false);
                }
                throw e;
            }
        }
        SourceSpec.ByFilter f = (SourceSpec.ByFilter) source;
        DescribeImagesRequest.Builder request = DescribeImagesRequest.builder()
                .filters(Filter.builder().name("name").values(f.nameFilter()).build(),
                        Filter.builder().name("state").values("available").build());
        if (!f.owners().isEmpty()) {
            request.owners(f.owners());
        }
        List<Image> images = new ArrayList<>();
        AwsErrors.run("ec2:DescribeImages", () -> aws.ec2.describeImagesPaginator(request.build()).images().forEach(images::add));
        return images.stream()
                .max(Comparator.comparing((Image i) -> i.creationDate() == null ? "" : i.creationDate())
                        .thenComparing(Image::imageId))
                .map(Image::imageId);
    }
}
