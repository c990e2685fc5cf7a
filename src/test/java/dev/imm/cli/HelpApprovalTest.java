package dev.imm.cli;

import java.util.List;
import org.approvaltests.Approvals;
import org.approvaltests.core.Options;
import org.junit.jupiter.api.Test;

/**
 * What a user reads of the command line itself: every verb's help, the usage errors picocli reports and
 * the shell completion script. The verbs declare their options in code (cli.Model), so a change to any of
 * them shows here first.
 */
class HelpApprovalTest {
    private static final List<String> VERBS = List.of("validate", "fmt", "plan", "apply", "history", "rollback", "show",
            "state", "state list", "state show", "unlock", "init", "destroy", "refresh", "drift", "graph", "completion",
            "console", "lsp", "version", "help");

    @Test
    void everyVerbsHelp() {
        StringBuilder all = new StringBuilder(transcript("--help")).append(transcript("help"));
        for (String verb : VERBS) {
            all.append(transcript(verb + " --help"));
        }
        all.append(transcript("help plan")).append(transcript("plan -h"));
        Approvals.verify(all.toString(), new Options().forFile().withExtension(".txt"));
    }

    @Test
    void usageErrors() {
        StringBuilder all = new StringBuilder();
        for (String line : List.of("plna", "plan --bogus", "plan -var", "validate a b", "plan --refresh=maybe",
                "history -n x", "state", "state bogus", "apply --parallelism x", "completion fish", "fmt --check --no-such")) {
            all.append(transcript(line));
        }
        Approvals.verify(all.toString(), new Options().forFile().withExtension(".txt"));
    }

    @Test
    void bashCompletion() {
        Approvals.verify(transcript("completion bash"), new Options().forFile().withExtension(".txt"));
    }

    private static String transcript(String line) {
        CliRun run = CliRun.of(line.split(" "));
        return "$ imm " + line + "\n" + run.out() + run.err() + "(exit " + run.exitCode() + ")\n\n";
    }
}
