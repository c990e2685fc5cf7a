package dev.imm.model;

import java.util.List;
import java.util.SortedMap;

/**
 * How a container image is built: on {@code from} (a base pinned by digest, {@code scratch}, or another
 * container of the stack through the image's {@link SourceSpec.Layered} source), then {@code layers} of
 * copied files, then the image configuration; pushed to {@code pushTo} ({@code host:port/repo}).
 * {@code fromTag} is the tag a base was given by when {@code allow_tag = true} let it float (empty when
 * pinned); {@code signingKey} signs what is pushed and is never a bake input.
 */
public record ContainerBuild(String fromTag, List<Layer> layers, SortedMap<String, String> env, List<String> entrypoint,
                             List<String> cmd, String user, String workdir, SortedMap<String, String> labels, String platform,
                             String pushTo, SigningKey signingKey) {
    public ContainerBuild {
        layers = List.copyOf(layers);
        env = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(env));
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        labels = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(labels));
    }

    /** The base a container starts from when it names none of the stack's containers and no registry image. */
    public static final String SCRATCH = "scratch";

    /** One layer: files copied in, in order. */
    public record Layer(String name, List<CopiedFile> files) {
        public Layer {
            files = List.copyOf(files);
        }
    }

    /**
     * A file put into a layer: {@code source} relative to the stack directory, {@code target} an absolute
     * path in the image, with its mode (octal, as in {@code 0644}), owner ({@code uid:gid}) and content hash.
     */
    public record CopiedFile(String source, String target, String mode, String owner, String sha256) {
    }

    /**
     * A private key that signs pushed images (PEM, PKCS#8, ECDSA P-256). It is a secret: it prints as
     * {@code (sensitive)} and is never encoded into bake inputs, state, plans or logs.
     */
    public static final class SigningKey {
        private final String pem;

        public SigningKey(String pem) {
            this.pem = pem;
        }

        public String pem() {
            return pem;
        }

        @Override
        public String toString() {
            return "(sensitive)";
        }
    }
}
