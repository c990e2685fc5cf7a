package dev.imm.repl;

import dev.imm.diag.SourceFile;
import dev.imm.lang.Lexing;
import dev.imm.lang.SyntaxToken;

/**
 * Whether console input is complete or waits for more lines: an open bracket, string or heredoc at the
 * end means the user is still typing. A string cut short by a newline is complete (it is an error).
 */
public final class ReplInput {
    private ReplInput() {
    }

    public static boolean isComplete(String text) {
        int depth = 0;
        int strings = 0;
        int heredocs = 0;
        for (SyntaxToken t : Lexing.tokens(new SourceFile("<console>", text))) {
            switch (t.kind()) {
                case "LBRACE": case "LBRACKET": case "LPAREN": case "STRING_INTERP": case "HEREDOC_INTERP":
                    depth++;
                    break;
                case "RBRACE": case "RBRACKET": case "RPAREN":
                    depth--;
                    break;
                case "QUOTE":
                    strings++;
                    break;
                case "STRING_END": case "STRING_UNTERMINATED":
                    strings--;
                    break;
                case "HEREDOC_START":
                    heredocs++;
                    break;
                case "HEREDOC_END":
                    heredocs--;
                    break;
                default:
                    break;
            }
        }
        return depth <= 0 && strings <= 0 && heredocs <= 0;
    }
}
