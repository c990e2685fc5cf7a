package dev.imm.provider.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.provider.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * Signatures stored the way cosign stores them, so that {@code cosign verify --key} accepts what imm
 * signs and imm accepts what cosign signs: beside image {@code repo@sha256:<hex>}, the tag
 * {@code sha256-<hex>.sig} names an OCI manifest whose layers are simple-signing payloads (the image's
 * reference and digest, as JSON), each with its ECDSA P-256 signature (ASN.1, base64) in the annotation
 * {@code dev.cosignproject.cosign/signature}.
 */
final class CosignSignatures {
    static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;

    CosignSignatures(RegistryClient client) {
        this.client = client;
    }

    /** The tag of an image's signatures. */
    static String tag(String digest) {
        return digest.replace(':', '-') + ".sig";
    }

    /** The simple-signing payload for an image, byte for byte what cosign writes. */
    static byte[] payload(String dockerReference, String digest) {
        String json = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Signs an image and stores the signature beside it (added to any signatures it has). */
    void sign(String registry, String repository, String digest, PrivateKey key) throws ProviderException {
        byte[] payload = payload(registry + "/" + repository, digest);
        String signature;
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update(payload);
            signature = Base64.getEncoder().encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new ProviderException("cannot sign " + digest + ": " + e.getMessage(), false);
        }
        String payloadDigest = client.putBlob(registry, repository, payload);
        ArrayNode layers = JSON.createArrayNode();
        Optional<RegistryClient.Manifest> existing = client.manifest(registry, repository, tag(digest));
        if (existing.isPresent()) {
            for (JsonNode layer : read(existing.get().body()).path("layers")) {
                if (!layer.path("annotations").path(ANNOTATION).asText().equals(signature)) {
                    layers.add(layer);
                }
            }
        }
        ObjectNode layer = layers.addObject();
        layer.put("mediaType", PAYLOAD_TYPE);
        layer.put("size", payload.length);
        layer.put("digest", payloadDigest);
        layer.putObject("annotations").put(ANNOTATION, signature);
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "");
        config.putObject("config");
        config.put("created", "0001-01-01T00:00:00Z");
        config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
        config.put("os", "");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.path("digest").asText()));
        byte[] configBytes = write(config);
        String configDigest = client.putBlob(registry, repository, configBytes);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", RegistryClient.OCI_MANIFEST);
        ObjectNode c = manifest.putObject("config");
        c.put("mediaType", CONFIG_TYPE);
        c.put("size", configBytes.length);
        c.put("digest", configDigest);
        manifest.set("layers", layers);
        client.putManifest(registry, repository, tag(digest), RegistryClient.OCI_MANIFEST, write(manifest));
    }

    /**
     * Null when a signature beside the image verifies with the key and names this image; otherwise why not
     * ({@code unsigned}, or what is wrong with the signatures found).
     */
    String verify(String registry, String repository, String digest, PublicKey key) throws ProviderException {
        Optional<RegistryClient.Manifest> manifest = client.manifest(registry, repository, tag(digest));
        if (manifest.isEmpty()) {
            return "unsigned: the registry has no signature for " + shortDigest(digest);
        }
        String why = "no signature layer";
        for (JsonNode layer : read(manifest.get().body()).path("layers")) {
            if (!PAYLOAD_TYPE.equals(layer.path("mediaType").asText())) {
                continue;
            }
            String signature = layer.path("annotations").path(ANNOTATION).asText("");
            byte[] payload = client.blob(registry, repository, layer.path("digest").asText());
            try {
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initVerify(key);
                ecdsa.update(payload);
                if (!ecdsa.verify(Base64.getDecoder().decode(signature))) {
                    why = "a signature does not verify with the public key";
                    continue;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                why = "a signature does not verify with the public key";
                continue;
            }
            JsonNode critical = read(payload).path("critical");
            if (!digest.equals(critical.path("image").path("docker-manifest-digest").asText())) {
                why = "a signature verifies but signs another image";
                continue;
            }
            return null;
        }
        return why;
    }

    /** The digest of the image's signature manifest, or empty when it has none. */
    Optional<String> signatureDigest(String registry, String repository, String digest) throws ProviderException {
        return client.digest(registry, repository, tag(digest));
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static JsonNode read(byte[] json) throws ProviderException {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new ProviderException("the registry holds a signature that is not JSON", false);
        }
    }

    private static byte[] write(JsonNode node) throws ProviderException {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new ProviderException("cannot encode a signature manifest: " + e.getMessage(), false);
        }
    }
}
