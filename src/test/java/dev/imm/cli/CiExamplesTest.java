package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CI examples of docs/ci.md parse, and do what the document says. */
class CiExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode read(String name) throws IOException {
        return YAML.readTree(Files.readString(Path.of("examples/ci", name)));
    }

    private static String scripts(JsonNode steps) {
        StringBuilder all = new StringBuilder();
        steps.forEach(step -> all.append(step.isTextual() ? step.asText() : step.path("run").asText()
                + step.path("with").path("script").asText()).append('\n'));
        return all.toString();
    }

    @Test
    void githubActionsPlansCommentsOnceKeepsThePlanAndAppliesItOnMerge() throws IOException {
        JsonNode workflow = read("github-actions.yml");
        assertTrue(workflow.path("on").has("pull_request") && workflow.path("on").has("push"));
        String marker = workflow.path("env").path("MARKER").asText();
        assertTrue(marker.startsWith("<!--") && marker.endsWith("-->"), "a hidden marker: " + marker);

        JsonNode plan = workflow.path("jobs").path("plan");
        String planScripts = scripts(plan.path("steps"));
        assertTrue(planScripts.contains("./imm plan") && planScripts.contains("--format markdown")
                && planScripts.contains("-out plan.json") && planScripts.contains("--detailed-exitcode"), planScripts);
        assertTrue(planScripts.contains("updateComment") && planScripts.contains("createComment")
                && planScripts.contains("startsWith(marker)"), "one comment, updated on re-runs");
        assertTrue(plan.path("steps").toString().contains("actions/upload-artifact"), "the plan file is kept");
        assertTrue(planScripts.contains("--report report.html") && planScripts.contains("--report-url \"$GITHUB_SERVER_URL/"),
                "the comment links to the report: " + planScripts);
        assertTrue(plan.path("steps").findValuesAsText("path").contains("report.html"), "the report is kept");

        String applyScripts = scripts(workflow.path("jobs").path("apply").path("steps"));
        assertTrue(applyScripts.contains("gh run download") && applyScripts.contains("./imm apply plan.json --auto-approve"),
                applyScripts);
        assertEquals("github.event_name == 'push'", workflow.path("jobs").path("apply").path("if").asText());
    }

    @Test
    void gitlabCiDoesTheSame() throws IOException {
        JsonNode ci = read("gitlab-ci.yml");
        assertEquals("[\"plan\",\"apply\"]", ci.path("stages").toString());
        JsonNode plan = ci.path("imm-plan");
        String planScripts = scripts(plan.path("script"));
        assertTrue(planScripts.contains("./imm plan") && planScripts.contains("-out plan.json"), planScripts);
        assertTrue(planScripts.contains("startswith($m)") && planScripts.contains("-X PUT") && planScripts.contains("-X POST"),
                "one note, updated on re-runs");
        assertTrue(plan.path("artifacts").path("paths").toString().contains("plan.json"));
        assertTrue(plan.path("artifacts").path("paths").toString().contains("report.html"));
        assertTrue(planScripts.contains("--report report.html --report-url \"$CI_JOB_URL/artifacts/file/report.html\""), planScripts);
        assertTrue(plan.path("rules").get(0).path("if").asText().contains("merge_request_event"));

        JsonNode apply = ci.path("imm-apply");
        assertTrue(scripts(apply.path("script")).contains("./imm apply plan.json --auto-approve"));
        assertTrue(apply.has("resource_group"), "one apply at a time");
    }
}
