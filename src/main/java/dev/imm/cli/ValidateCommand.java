package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.Validation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a stack and report every problem at once: syntax, types, references,",
                "attribute values, and the checks whose conditions are known without a cloud."},
        footer = {"", "Examples:", "  imm validate", "  imm validate examples/showcase", "  imm validate -var env=prod stacks/shop"})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @picocli.CommandLine.Mixin
    VariableOptions variables = new VariableOptions();

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
