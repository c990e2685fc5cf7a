package dev.imm.cli;

import dev.imm.lsp.LanguageServerMain;

final class LspCommand extends Verb {
    LspCommand(Main main) {
        super(main, "lsp", Model.lines("Run the language server on standard input and output, for editors (docs/editors.md).",
                "Diagnostics as you type, completion, hover, go to definition, find references, symbols,",
                "formatting and quick fixes. Editors start it; it is not meant to be run by hand."),
                "", "Examples:", "  imm lsp      # started by VS Code, Neovim (vim.lsp.start) or Emacs (eglot)");
    }

    @Override
    public Integer call() {
        return LanguageServerMain.serve(main.in, main.out) == 0 ? ExitCode.OK : ExitCode.ERRORS;
    }
}
