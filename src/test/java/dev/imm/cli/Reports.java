package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.testing.TestStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reports the report tests look at, made as a user makes them: the showcase applied, then
 * {@code imm plan --rehearse --format html} for a change of {@code app_version} (optionally with a fault
 * injected), and the quickstart with its install script edited.
 */
final class Reports {
    static final Path APPROVED = Path.of("src/test/resources/reports");

    private Reports() {
    }

    /** The showcase as {@code shop}, applied; {@code fault} (a sim fault block) injected when not null. */
    static Path showcase(Path temp, String fault) throws IOException {
        Path stack = TestStacks.copyExample("showcase", temp, "shop");
        CliRun apply = CliRun.of("apply", stack.toString(), "--auto-approve");
        assertEquals(ExitCode.OK, apply.exitCode(), apply.err());
        if (fault != null) {
            Path main = stack.resolve("main.imm");
            String text = Files.readString(main);
            assertTrue(text.contains("provider \"sim\" {}"), "the showcase declares the simulated cloud");
            Files.writeString(main, text.replace("provider \"sim\" {}", "provider \"sim\" {\n  " + fault + "\n}"));
        }
        return stack;
    }

    /** The quickstart as {@code web}, applied, then its install script edited: the next plan bakes and rolls fleet.web. */
    static Path quickstartChanged(Path temp) throws IOException {
        Path stack = TestStacks.copyExample("quickstart", temp, "web");
        CliRun apply = CliRun.of("apply", stack.toString(), "--auto-approve");
        assertEquals(ExitCode.OK, apply.exitCode(), apply.err());
        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "\necho 'report test'\n");
        return stack;
    }

    /** {@code imm plan STACK --rehearse --format html -o FILE ARGS…}; the page. */
    static String rehearsedReport(Path stack, Path file, String... args) throws IOException {
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[] {"plan", stack.toString(), "--rehearse", "--format", "html", "-o", file.toString()}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        CliRun plan = CliRun.of(all);
        assertEquals(ExitCode.OK, plan.exitCode(), plan.err());
        return Files.readString(file);
    }

    /** The page with its one run-dependent part, the state revision (a Git commit id), replaced. */
    static String normalized(String html) {
        return html.replaceAll("State: <code>[0-9a-f]{12}</code>", "State: <code>(revision)</code>");
    }
}
