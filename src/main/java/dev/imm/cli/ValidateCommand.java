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
        description = "Check a stack's files and report every problem at once.",
        footer = {"", "Examples:", "  imm validate", "  imm validate examples/showcase"})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Override
    public Integer call() {
        Validation result = new Engine().validate(dir);
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
