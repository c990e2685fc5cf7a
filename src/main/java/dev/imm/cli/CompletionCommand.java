package dev.imm.cli;

import picocli.AutoComplete;
import picocli.CommandLine;

final class CompletionCommand extends Verb {
    String shell;

    CompletionCommand(Main main) {
        super(main, "completion", Model.lines("Print a shell completion script for imm's commands and options."),
                "", "Examples:", "  source <(imm completion bash)", "  imm completion zsh > \"${fpath[1]}/_imm\"");
        spec.addPositional(Model.positional("0", "SHELL", "bash or zsh.", String.class, () -> shell, v -> shell = v).build());
    }

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
                throw usageError("completion takes bash or zsh, not " + shell);
        }
    }
}
