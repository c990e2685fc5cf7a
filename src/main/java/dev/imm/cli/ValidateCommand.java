package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.Validation;
import java.nio.file.Path;

final class ValidateCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();

    ValidateCommand(Main main) {
        super(main, "validate", Model.lines("Check a stack and report every problem at once: syntax, types, references,",
                "attribute values, and the checks whose conditions are known without a cloud."),
                "", "Examples:", "  imm validate", "  imm validate examples/showcase", "  imm validate -var env=prod stacks/shop");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
    }

    @Override
    public Integer call() {
        Validation result = new Engine().validate(dir, variables.sources(main.env));
        DiagnosticRenderer renderer = new DiagnosticRenderer(result.sources()::get, main.color());
        main.err.print(renderer.render(result.diagnostics()));
        if (result.hasErrors()) {
            long errors = result.diagnostics().stream().filter(d -> d.isError()).count();
            main.err.println(errors == 1 ? "1 error" : errors + " errors");
            return ExitCode.ERRORS;
        }
        main.out.println("The stack is valid (" + result.fileCount() + (result.fileCount() == 1 ? " file)." : " files)."));
        return ExitCode.OK;
    }
}
