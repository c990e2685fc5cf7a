package dev.imm.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script for imm's commands and options.",
        footer = {"", "Examples:", "  source <(imm completion bash)", "  imm completion zsh > \"${fpath[1]}/_imm\""})
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        CommandLine imm = spec.parent().commandLine();
        String script = AutoComplete.bash("imm", imm);
        switch (shell) {
            case "bash":
                main.out.print(script);
                return ExitCode.OK;
            case "zsh":
                // zsh runs bash completion scripts through bashcompinit
                main.out.println("autoload -U +X compinit && compinit");
                main.out.println("autoload -U +X bashcompinit && bashcompinit");
                main.out.print(script);
                return ExitCode.OK;
            default:
                throw new CommandLine.ParameterException(spec.commandLine(), "completion takes bash or zsh, not " + shell);
        }
    }
}
