package dev.imm.lsp;

import dev.imm.diag.SourceFile;
import dev.imm.eval.Schema;
import dev.imm.eval.Schemas;
import dev.imm.lang.Lexing;
import dev.imm.lang.SyntaxToken;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where a cursor is, read from the tokens before it rather than the tree, so that it holds in a file
 * being typed (which rarely parses): the blocks around it (type and first label), whether a name or a
 * value goes there, whether it is inside a string (and an import's), and the word being typed
 * ({@code image.w}; in a string, what follows its quote).
 */
record CursorContext(List<Frame> blocks, boolean value, boolean inString, boolean inImport, String prefix) {

    /** A block around the cursor: {@code image "web"} is type {@code image}, label {@code web}. */
    record Frame(String type, String label) {
    }

    private enum Kind { BLOCK, OBJECT, INTERPOLATION }

    private record Open(Kind kind, Frame frame) {
    }

    static CursorContext at(SourceFile source, int offset) {
        Deque<Open> open = new ArrayDeque<>();
        List<SyntaxToken> statement = new ArrayList<>();
        int brackets = 0;
        boolean inString = false;
        for (SyntaxToken t : Lexing.tokens(source)) {
            if (t.range().startOffset() >= offset) {
                break;
            }
            boolean containsCursor = t.range().endOffset() >= offset;
            switch (t.kind()) {
                case "NEWLINE" -> {
                    if ((open.isEmpty() || open.peek().kind() == Kind.BLOCK) && brackets == 0) {
                        statement.clear();
                    }
                }
                case "LBRACE" -> {
                    boolean header = !statement.isEmpty() && statement.get(0).kind().equals("IDENT") && brackets == 0
                            && statement.stream().noneMatch(s -> s.kind().equals("ASSIGN"))
                            && (open.isEmpty() || open.peek().kind() == Kind.BLOCK);
                    if (header) {
                        String label = statement.stream().filter(s -> s.kind().equals("STRING_TEXT")).map(SyntaxToken::text)
                                .findFirst().orElse("");
                        open.push(new Open(Kind.BLOCK, new Frame(statement.get(0).text(), label)));
                        statement.clear();
                    } else {
                        open.push(new Open(Kind.OBJECT, null));
                    }
                }
                case "STRING_INTERP", "HEREDOC_INTERP" -> open.push(new Open(Kind.INTERPOLATION, null));
                case "RBRACE" -> {
                    if (!open.isEmpty()) {
                        Open closed = open.pop();
                        if (closed.kind() == Kind.BLOCK) {
                            statement.clear();
                        }
                    }
                }
                case "LBRACKET", "LPAREN" -> {
                    brackets++;
                    statement.add(t);
                }
                case "RBRACKET", "RPAREN" -> {
                    brackets = Math.max(0, brackets - 1);
                    statement.add(t);
                }
                default -> {
                    if (!t.hidden()) {
                        statement.add(t);
                    }
                }
            }
            String kind = t.kind();
            inString = containsCursor && (kind.equals("STRING_TEXT") || kind.equals("QUOTE") || kind.equals("HEREDOC_TEXT")
                    || kind.equals("STRING_ESCAPE"));
        }
        List<Frame> blocks = new ArrayList<>();
        open.descendingIterator().forEachRemaining(o -> {
            if (o.kind() == Kind.BLOCK) {
                blocks.add(o.frame());
            }
        });
        boolean inExpression = !open.isEmpty() && open.peek().kind() != Kind.BLOCK;
        boolean value = inExpression || brackets > 0 || statement.stream().anyMatch(s -> s.kind().equals("ASSIGN"));
        boolean inImport = !statement.isEmpty() && statement.get(0).kind().equals("IMPORT");
        return new CursorContext(blocks, value, inString, inImport, inString ? stringPrefix(source.text(), offset)
                : prefix(source.text(), offset));
    }

    /** In a string: what was typed since its opening quote. */
    private static String stringPrefix(String text, int offset) {
        int end = text.offsetByCodePoints(0, Math.min(offset, text.codePointCount(0, text.length())));
        int quote = text.lastIndexOf('"', end - 1);
        return quote < 0 ? "" : text.substring(quote + 1, end);
    }

    /** The word before a code-point offset: letters, digits, {@code _} and dots ({@code image.web.i}). */
    private static String prefix(String text, int offset) {
        int end = text.offsetByCodePoints(0, Math.min(offset, text.codePointCount(0, text.length())));
        int start = end;
        while (start > 0) {
            char c = text.charAt(start - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                start--;
            } else {
                break;
            }
        }
        return text.substring(start, end);
    }

    /** The schema of the innermost block, or null at the top level or in a block imm does not know. */
    Schema schema() {
        Schema schema = null;
        for (int i = 0; i < blocks.size(); i++) {
            Frame f = blocks.get(i);
            schema = i == 0 ? topLevel(f) : nested(schema, f);
            if (schema == null) {
                return null;
            }
        }
        return schema;
    }

    static Schema topLevel(Frame f) {
        if (f.type().equals("provider")) {
            return Schemas.provider(f.label());
        }
        return Schemas.TOP_LEVEL.get(f.type());
    }

    static Schema nested(Schema parent, Frame f) {
        if (parent == null) {
            return null;
        }
        if (f.type().equals("provision")) {
            return f.label().equals("shell") ? Schemas.SHELL : f.label().equals("file") ? Schemas.FILE : null;
        }
        if (f.type().equals("fault")) {
            return Schemas.FAULTS.get(f.label());
        }
        Schema.Nested n = parent.blocks().get(f.type());
        return n == null ? null : n.schema();
    }
}
