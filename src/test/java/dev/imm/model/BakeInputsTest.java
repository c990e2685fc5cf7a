package dev.imm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.imm.value.Value;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The canonical encoding of docs/bake-hash.md, byte for byte. */
class BakeInputsTest {

    @Test
    void canonicalEncodingIsExactlyAsDocumented() {
        TreeMap<String, Value> env = new TreeMap<>();
        env.put("LEVEL", new Value.Str("cis-1"));
        env.put("TOKEN", new Value.Sensitive(new Value.Str("s3cr3t")));
        List<ProvisionStep> steps = List.of(
                new ProvisionStep.FileUpload("files/a.json", "aa", "/etc/a.json", null),
                new ProvisionStep.Shell(List.of("echo \"hi\""), null, null, new TreeMap<>(), null),
                new ProvisionStep.Shell(null, "scripts/x.sh", "bb", env, null));
        TreeMap<String, String> tags = new TreeMap<>();
        tags.put("os", "al2023");
        String canonical = BakeInputs.canonical("ami-0123456789abcdef0", "t3.medium", 1_800_000, steps, tags);
        assertEquals("{\"build\":{\"instance_type\":\"t3.medium\",\"timeout_ms\":1800000},\"format\":\"imm-bake-v1\","
                + "\"input_tags\":{\"os\":\"al2023\"},\"source\":\"ami-0123456789abcdef0\",\"steps\":["
                + "{\"content_sha256\":\"aa\",\"destination\":\"/etc/a.json\",\"kind\":\"file\"},"
                + "{\"env\":{},\"inline\":[\"echo \\\"hi\\\"\"],\"kind\":\"shell\"},"
                + "{\"env\":{\"LEVEL\":\"cis-1\",\"TOKEN\":\"sensitive:sha256:"
                + BakeInputs.sha256("s3cr3t") + "\"},\"kind\":\"shell\",\"script_sha256\":\"bb\"}]}", canonical);
        assertFalse(canonical.contains("s3cr3t"), "a secret never appears in clear");
        assertEquals(BakeInputs.sha256(canonical), BakeInputs.hash(canonical));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BakeInputs.sha256(""));
    }
}
