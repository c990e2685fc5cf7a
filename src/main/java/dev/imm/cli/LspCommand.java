package dev.imm.cli;

import dev.imm.lsp.LanguageServerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = {"Run the language server on standard input and output, for editors (docs/editors.md).",
                "Diagnostics as you type, completion, hover, go to definition, find references, symbols,",
                "formatting and quick fixes. Editors start it; it is not meant to be run by hand."},
        footer = {"", "Examples:", "  imm lsp      # started by VS Code, Neovim (vim.lsp.start) or Emacs (eglot)"})
final class LspCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        return LanguageServerMain.serve(main.in, main.out) == 0 ? ExitCode.OK : ExitCode.ERRORS;
    }
}
