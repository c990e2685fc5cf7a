package dev.imm.provider.sim;

import dev.imm.model.SourceSpec;
import dev.imm.model.SourceResolver;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public base images the simulated cloud knows: a few dated versions of each family that
 * {@code std/sources} names (Amazon Linux 2023 for x86_64 and arm64, Ubuntu 22.04 and 24.04, Debian 12),
 * with fixed ids and creation dates, plus look-alikes that a filter must not pick (another owner, another
 * architecture, the minimal variant). A name filter resolves to the newest image whose name matches the
 * glob ({@code *} any run of characters, {@code ?} one) and whose owner is one of the filter's owners; an
 * empty owner list matches every owner, as in EC2. Owners may be account ids or the aliases
 * {@code amazon}, {@code canonical} and {@code debian}. A public parameter resolves to the newest image of
 * its family. An {@code ami-…} id is taken as an existing public image, listed here or not. Layered
 * sources are the stack's own images and are not resolved here.
 */
public final class SimCatalog implements SourceResolver {
    public static final String AMAZON = "137112412989";
    public static final String CANONICAL = "099720109477";
    public static final String DEBIAN = "136693071363";

    private static final Pattern IMAGE_ID = Pattern.compile("ami-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Map<String, String> OWNER_ALIASES = Map.of(
            "amazon", AMAZON, "canonical", CANONICAL, "debian", DEBIAN);

    /** One public image: its id, name, publishing account, architecture and creation time. */
    public record PublicImage(String imageId, String name, String owner, String architecture, long createdAtMillis) {
    }

    private static final List<PublicImage> IMAGES = List.of(
            image("ami-0c2a5f1e7d3b49a61", "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", AMAZON, "x86_64", "2024-12-12T20:03:11Z"),
            image("ami-0e8d3c6f1a2b57d92", "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64", AMAZON, "x86_64", "2025-01-15T19:45:02Z"),
            image("ami-04b7e1d9c3a6f2058", "al2023-ami-minimal-2023.6.20250218.0-kernel-6.1-x86_64", AMAZON, "x86_64", "2025-02-18T21:10:40Z"),
            image("ami-0a6f2b8c4d1e39f07", "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64", AMAZON, "arm64", "2024-12-12T20:03:15Z"),
            image("ami-0f1c7e3a9b5d28c46", "al2023-ami-2023.6.20250115.0-kernel-6.1-arm64", AMAZON, "arm64", "2025-01-15T19:45:09Z"),
            image("ami-09d3e6b2a8c1f4705", "al2023-ami-2023.9.20250301.0-kernel-6.1-x86_64", "123456789012", "x86_64", "2025-03-01T08:00:00Z"),
            image("ami-0b5e9a3d7c2f16e84", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241206", CANONICAL, "x86_64", "2024-12-06T11:22:30Z"),
            image("ami-0d4a8f2c6e1b93a57", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250112", CANONICAL, "x86_64", "2025-01-12T10:14:51Z"),
            image("ami-03e7c1b5a9d2f6e48", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241210", CANONICAL, "x86_64", "2024-12-10T09:31:04Z"),
            image("ami-06f2a9d4c8b3e1f75", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115", CANONICAL, "x86_64", "2025-01-15T12:05:27Z"),
            image("ami-01c8e4f7b2a5d9c36", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250120", CANONICAL, "arm64", "2025-01-20T12:40:13Z"),
            image("ami-08a1d6c3f9e2b7d40", "debian-12-amd64-20241201-1948", DEBIAN, "x86_64", "2024-12-01T23:55:42Z"),
            image("ami-0c9f5b1e4d7a28e63", "debian-12-amd64-20250112-1993", DEBIAN, "x86_64", "2025-01-12T22:48:19Z"),
            image("ami-02d6b8e3a1f7c4a91", "debian-12-arm64-20250112-1993", DEBIAN, "arm64", "2025-01-12T22:49:03Z"));

    /** Public parameters and the family (name filter, owner) whose newest image each one holds. */
    private static final Map<String, SourceSpec.ByFilter> PARAMETERS = Map.of(
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            new SourceSpec.ByFilter("al2023-ami-2023.*-x86_64", List.of(AMAZON)),
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
            new SourceSpec.ByFilter("al2023-ami-2023.*-arm64", List.of(AMAZON)),
            "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
            new SourceSpec.ByFilter("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*", List.of(CANONICAL)),
            "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
            new SourceSpec.ByFilter("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", List.of(CANONICAL)),
            "/aws/service/debian/release/12/latest/amd64",
            new SourceSpec.ByFilter("debian-12-amd64-*", List.of(DEBIAN)),
            "/aws/service/debian/release/12/latest/arm64",
            new SourceSpec.ByFilter("debian-12-arm64-*", List.of(DEBIAN)));

    private static final SimCatalog STANDARD = new SimCatalog();

    private SimCatalog() {
    }

    public static SimCatalog standard() {
        return STANDARD;
    }

    public List<PublicImage> images() {
        return IMAGES;
    }

    public Optional<PublicImage> find(String imageId) {
        return IMAGES.stream().filter(i -> i.imageId().equals(imageId)).findFirst();
    }

    /** Whether {@code text} is spelled like an image id ({@code ami-} and 8 or 17 hex digits). */
    public static boolean isImageId(String text) {
        return text != null && IMAGE_ID.matcher(text).matches();
    }

    @Override
    public Optional<String> resolve(SourceSpec source) {
        if (source instanceof SourceSpec.ById byId) {
            return isImageId(byId.id()) ? Optional.of(byId.id()) : Optional.empty();
        }
        if (source instanceof SourceSpec.ByFilter filter) {
            return newest(filter).map(PublicImage::imageId);
        }
        if (source instanceof SourceSpec.BySsmParameter parameter) {
            SourceSpec.ByFilter family = PARAMETERS.get(parameter.parameter());
            return family == null ? Optional.empty() : newest(family).map(PublicImage::imageId);
        }
        return Optional.empty();
    }

    private static Optional<PublicImage> newest(SourceSpec.ByFilter filter) {
        Pattern name = glob(filter.nameFilter());
        List<String> owners = filter.owners().stream().map(o -> OWNER_ALIASES.getOrDefault(o, o)).toList();
        return IMAGES.stream()
                .filter(i -> owners.isEmpty() || owners.contains(i.owner()))
                .filter(i -> name.matcher(i.name()).matches())
                .max(Comparator.comparingLong(PublicImage::createdAtMillis).thenComparing(PublicImage::name));
    }

    private static Pattern glob(String filter) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : filter.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static PublicImage image(String id, String name, String owner, String architecture, String created) {
        return new PublicImage(id, name, owner, architecture, Instant.parse(created).toEpochMilli());
    }
}
