package dev.imm.cli;

import dev.imm.repl.ReplInput;
import dev.imm.repl.ReplSession;
import dev.imm.repl.jline.JLineShell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

final class ConsoleCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();

    ConsoleCommand(Main main) {
        super(main, "console", Model.lines("Evaluate expressions against a stack and look at its plan, state and history.",
                "On a terminal: line editing, tab completion, history in ~/.imm_history. From a pipe: one",
                "result per line of input (errors on standard error; exit 1 if any)."),
                "", "Examples:", "  imm console examples/quickstart",
                "  printf 'upper(\"a\")\\nfleet.web.desired\\n' | imm console examples/quickstart");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
    }

    @Override
    public Integer call() throws IOException {
        ReplSession session = new ReplSession(dir, variables.sources(main.env));
        if (main.in == System.in && System.console() != null) {
            JLineShell.run(session, Path.of(System.getProperty("user.home"), ".imm_history"), main.color());
            return ExitCode.OK;
        }
        if (!session.loadProblems().isEmpty()) {
            main.err.print(session.loadProblems());
        }
        boolean failed = false;
        BufferedReader in = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
        StringBuilder pending = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            pending.append(pending.length() == 0 ? "" : "\n").append(line);
            if (!pending.toString().strip().startsWith(":") && !ReplInput.isComplete(pending.toString())) {
                continue;
            }
            ReplSession.Response response = session.handle(pending.toString());
            pending.setLength(0);
            if (response.quit()) {
                break;
            }
            (response.error() ? main.err : main.out).print(response.text());
            failed |= response.error();
        }
        if (pending.length() > 0) {
            ReplSession.Response response = session.handle(pending.toString());
            (response.error() ? main.err : main.out).print(response.text());
            failed |= response.error();
        }
        return failed ? ExitCode.ERRORS : ExitCode.OK;
    }
}
