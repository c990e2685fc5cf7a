package dev.imm.provider.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.model.BakeInputs;
import dev.imm.provider.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API for what jib does not do for imm: look up a manifest's digest, read and write
 * the blobs and manifests of signatures, list nothing, delete manifests. HTTPS, except for registries on
 * the loopback address (a local registry for tests and examples), which speak plain HTTP. A registry
 * that asks for credentials gets them from the Docker configuration ({@link Credentials}), as Basic
 * authentication or through its token service.
 */
final class RegistryClient {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Credentials credentials;
    /** The Authorization header that worked, by registry and repository. */
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    RegistryClient(Credentials credentials) {
        this.credentials = credentials;
    }

    /** Whether a registry is on this machine: those are spoken to over plain HTTP. */
    static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.equals("[::1]") || host.startsWith("127.");
    }

    private static String base(String registry) {
        return (isLoopback(registry) ? "http://" : "https://") + registry + "/v2/";
    }

    /** A manifest: its digest (from the registry, or computed), media type and body; empty when none. */
    record Manifest(String digest, String mediaType, byte[] body) {
    }

    Optional<Manifest> manifest(String registry, String repository, String reference) throws ProviderException {
        HttpResponse<byte[]> r = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/manifests/" + reference))
                .header("Accept", ACCEPT).GET());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, 200, "read manifest " + repository + ":" + reference);
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse("sha256:" + BakeInputs.sha256(r.body()));
        return Optional.of(new Manifest(digest, r.headers().firstValue("Content-Type").orElse(""), r.body()));
    }

    /** The digest of a manifest by tag or digest, or empty when the registry has no such manifest. */
    Optional<String> digest(String registry, String repository, String reference) throws ProviderException {
        HttpResponse<byte[]> r = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/manifests/" + reference))
                .header("Accept", ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, 200, "look up " + repository + ":" + reference);
        Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent()) {
            return header;
        }
        return manifest(registry, repository, reference).map(Manifest::digest);
    }

    byte[] blob(String registry, String repository, String digest) throws ProviderException {
        HttpResponse<byte[]> r = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/blobs/" + digest)).GET());
        expect(r, 200, "read blob " + digest + " of " + repository);
        if (!("sha256:" + BakeInputs.sha256(r.body())).equals(digest)) {
            throw new ProviderException("blob " + digest + " of " + repository + " does not match its digest", false);
        }
        return r.body();
    }

    /** Uploads a blob in one request (unless the registry has it already); gives its digest. */
    String putBlob(String registry, String repository, byte[] content) throws ProviderException {
        String digest = "sha256:" + BakeInputs.sha256(content);
        HttpResponse<byte[]> head = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (head.statusCode() == 200) {
            return digest;
        }
        HttpResponse<byte[]> start = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "start an upload to " + repository);
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> new ProviderException("the registry gave no upload location for " + repository, false));
        URI upload = URI.create(base(registry)).resolve(location);
        String query = (upload.getRawQuery() == null ? "" : upload.getRawQuery() + "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8);
        URI put = URI.create(upload.getScheme() + "://" + upload.getRawAuthority() + upload.getRawPath() + "?" + query);
        HttpResponse<byte[]> done = send(registry, repository, HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(done, 201, "upload a blob to " + repository);
        return digest;
    }

    /** Stores a manifest under a tag (or its digest); gives its digest. */
    String putManifest(String registry, String repository, String reference, String mediaType, byte[] body) throws ProviderException {
        HttpResponse<byte[]> r = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        expect(r, 201, "store manifest " + repository + ":" + reference);
        return "sha256:" + BakeInputs.sha256(body);
    }

    /** Deletes a manifest by digest; false when the registry does not allow deletes. */
    boolean deleteManifest(String registry, String repository, String digest) throws ProviderException {
        HttpResponse<byte[]> r = send(registry, repository, HttpRequest.newBuilder(uri(registry, repository + "/manifests/" + digest))
                .DELETE());
        if (r.statusCode() == 404) {
            return true; // gone already
        }
        if (r.statusCode() == 405) {
            return false;
        }
        expect(r, 202, "delete manifest " + digest + " of " + repository);
        return true;
    }

    private static URI uri(String registry, String path) {
        return URI.create(base(registry) + path);
    }

    private static void expect(HttpResponse<byte[]> r, int status, String what) throws ProviderException {
        if (r.statusCode() == status || (status == 201 && r.statusCode() == 200)) {
            return;
        }
        String body = new String(r.body() == null ? new byte[0] : r.body(), StandardCharsets.UTF_8).strip();
        String message = body;
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && errors.size() > 0) {
                message = errors.get(0).path("code").asText() + ": " + errors.get(0).path("message").asText();
            }
        } catch (IOException notJson) {
            message = body.length() > 200 ? body.substring(0, 200) : body;
        }
        boolean retryable = r.statusCode() == 429 || r.statusCode() >= 500;
        throw new ProviderException("the registry refused to " + what + " (HTTP " + r.statusCode()
                + (message.isEmpty() ? "" : ", " + message) + ")", retryable);
    }

    /** Sends the request, authenticating once when the registry asks for it. */
    private HttpResponse<byte[]> send(String registry, String repository, HttpRequest.Builder request) throws ProviderException {
        String key = registry + "/" + repository;
        String authorization = authorizations.get(key);
        HttpResponse<byte[]> r = exchange(request, authorization);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            authorization = authorize(registry, repository, challenge);
            if (authorization != null) {
                authorizations.put(key, authorization);
                r = exchange(request, authorization);
            }
            if (r.statusCode() == 401) {
                throw new ProviderException("the registry " + registry + " refused the credentials for " + repository
                        + ": log in with `docker login " + registry + "` (imm reads the Docker configuration)", false);
            }
        }
        return r;
    }

    private HttpResponse<byte[]> exchange(HttpRequest.Builder request, String authorization) throws ProviderException {
        HttpRequest.Builder copy = request.copy().timeout(Duration.ofMinutes(2));
        if (authorization != null) {
            copy.setHeader("Authorization", authorization);
        }
        try {
            return http.send(copy.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ProviderException("cannot reach the registry at " + copy.build().uri().getAuthority() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while talking to the registry", false, e);
        }
    }

    /** The Authorization header a challenge asks for, or null when there are no credentials to give. */
    private String authorize(String registry, String repository, String challenge) throws ProviderException {
        Optional<String[]> login = credentials.of(registry);
        String basic = login.map(c -> "Basic " + Base64.getEncoder()
                .encodeToString((c[0] + ":" + c[1]).getBytes(StandardCharsets.UTF_8))).orElse(null);
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return basic;
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            return null;
        }
        Map<String, String> params = new java.util.HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            return null;
        }
        String scope = "repository:" + repository + ":pull,push,delete";
        String query = "scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + (params.containsKey("service") ? "&service=" + URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8) : "");
        HttpRequest.Builder token = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query)).GET();
        HttpResponse<byte[]> r = exchange(token, basic);
        if (r.statusCode() != 200) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            String value = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
            return value == null ? null : "Bearer " + value;
        } catch (IOException e) {
            return null;
        }
    }
}
