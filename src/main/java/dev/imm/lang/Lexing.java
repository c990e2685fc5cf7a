package dev.imm.lang;

import dev.imm.diag.SourceFile;
import dev.imm.lang.antlr.ImmLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** Runs the generated lexer over a file; the one place besides {@link Parser} that creates it. */
public final class Lexing {
    private Lexing() {
    }

    /** Every token of the file, hidden ones included, ending with EOF. */
    static List<Token> antlrTokens(SourceFile source) {
        return antlrTokens(source, false);
    }

    /** With {@code asTemplate}, the whole text is read as the body of a heredoc that never ends. */
    static List<Token> antlrTokens(SourceFile source, boolean asTemplate) {
        ImmLexer lexer = new ImmLexer(CharStreams.fromString(source.text(), source.path()));
        if (asTemplate) {
            lexer.pushMode(ImmLexer.HEREDOC);
        }
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                                    String msg, RecognitionException e) {
                // characters no rule matches become BAD_CHAR tokens in the default mode; the few left
                // (a lone carriage return inside a string) are skipped and the string is reported instead
            }
        });
        CommonTokenStream stream = new CommonTokenStream(lexer);
        stream.fill();
        return stream.getTokens();
    }

    /** The tokens of a file as {@link SyntaxToken}s, for tests and tools. */
    public static List<SyntaxToken> tokens(SourceFile source) {
        Ranges ranges = new Ranges(source.path());
        List<SyntaxToken> result = new ArrayList<>();
        for (Token t : antlrTokens(source)) {
            String kind = t.getType() == Token.EOF ? "EOF" : ImmLexer.VOCABULARY.getSymbolicName(t.getType());
            String text = t.getType() == Token.EOF ? "" : t.getText();
            result.add(new SyntaxToken(kind, text, ranges.of(t), t.getChannel() != Token.DEFAULT_CHANNEL));
        }
        return result;
    }
}
