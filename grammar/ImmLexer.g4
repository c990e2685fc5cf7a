// Lexer of the .imm language.
//
// Modes carry the nesting of strings, heredocs and interpolations: every '{' pushes the default mode and
// every '}' pops it, so the '}' that closes "${ ... }" returns to the string or heredoc it came from.
// Tokens the parser never sees (comments, white space, newlines) go to hidden channels so that the
// formatter can still read them.
lexer grammar ImmLexer;

channels { COMMENTS, WHITESPACE }

@header {
import java.util.ArrayDeque;
import java.util.Deque;
}

@members {
    /** What pushed each mode still on the stack, innermost first. */
    private final Deque<Character> opened = new ArrayDeque<>();
    private static final char STRING_OPEN = 'S', HEREDOC_OPEN = 'H', INTERPOLATION_OPEN = 'I', BRACE_OPEN = 'B';

    private void enter(int mode, char kind) {
        opened.push(kind);
        pushMode(mode);
    }

    /** Leaves the innermost mode unless the stack is empty: an unbalanced '}' is the parser's error to report. */
    private void leave() {
        if (!_modeStack.isEmpty()) {
            opened.poll();
            popMode();
        }
    }

    /**
     * A newline ended a string before its closing quote. Leaves the string and, when that string sat inside
     * "${...}" of another string on the line, the interpolation and that string too, so that one missing
     * quote or brace does not make the rest of the file read as string text.
     */
    private void leaveUnterminatedString() {
        leave();
        while (opened.peek() != null && opened.peek() == INTERPOLATION_OPEN) {
            leave();
            if (opened.peek() != null && opened.peek() == STRING_OPEN) {
                leave();
            } else {
                break;
            }
        }
    }

    /** Closing markers of the heredocs being read, innermost first. */
    private final Deque<String> heredocMarkers = new ArrayDeque<>();

    private void startHeredoc() {
        String text = getText();
        int start = text.startsWith("<<-") ? 3 : 2;
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        heredocMarkers.push(text.substring(start, end));
        enter(HEREDOC, HEREDOC_OPEN);
    }

    /** True at the start of a heredoc line that holds only the closing marker (and indentation). */
    private boolean atHeredocEnd() {
        if (heredocMarkers.isEmpty()) {
            return false;
        }
        int before = _input.LA(-1);
        if (before != '\n' && _input.index() != 0) {
            return false;
        }
        int i = 1;
        while (_input.LA(i) == ' ' || _input.LA(i) == '\t') {
            i++;
        }
        String marker = heredocMarkers.peek();
        for (int k = 0; k < marker.length(); k++, i++) {
            if (_input.LA(i) != marker.charAt(k)) {
                return false;
            }
        }
        int after = _input.LA(i);
        return after == '\n' || after == '\r' || after == IntStream.EOF;
    }

    /** Called after a '$' was read: true unless it starts "${" or "$${". */
    private boolean isLoneDollar() {
        return _input.LA(1) != '{' && !(_input.LA(1) == '$' && _input.LA(2) == '{');
    }

    private void endHeredoc() {
        heredocMarkers.pop();
        leave();
    }
}

// ---- default mode: expressions and structure ----

LINE_COMMENT  : ('#' | '//') ~[\r\n]* -> channel(COMMENTS);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(COMMENTS);
// matches only text without "*/", so it never out-lengths a closed comment
UNTERMINATED_BLOCK_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF -> channel(COMMENTS);
NEWLINE       : '\r'? '\n' -> channel(WHITESPACE);
WS            : [ \t\f]+ -> channel(WHITESPACE);

IMPORT : 'import';
FOR    : 'for';
IN     : 'in';
IF     : 'if';
TRUE   : 'true';
FALSE  : 'false';
NULL   : 'null';

// a duration is one or more number-unit pairs: 500ms, 90s, 1h30m, 2d
DURATION : (DECIMAL DURATION_UNIT)+;
PERCENT  : DECIMAL '%';
NUMBER   : DECIMAL EXPONENT?;
// a number glued to letters that are no unit (5min, 3x): one bad token, not a number and a name
BAD_NUMBER : DECIMAL [a-zA-Z_] [a-zA-Z0-9_]*;

IDENT : [a-zA-Z_] [a-zA-Z0-9_]*;

HEREDOC_START : '<<' '-'? [a-zA-Z_] [a-zA-Z0-9_]* [ \t]* '\r'? '\n' { startHeredoc(); };

QUOTE    : '"' { enter(STRING, STRING_OPEN); };
LBRACE   : '{' { enter(DEFAULT_MODE, BRACE_OPEN); };
RBRACE   : '}' { leave(); };
LBRACKET : '[';
RBRACKET : ']';
LPAREN   : '(';
RPAREN   : ')';
COMMA    : ',';
DOT      : '.';
COLON    : ':';
QUESTION : '?';
ARROW    : '=>';
EQ       : '==';
NEQ      : '!=';
LE       : '<=';
GE       : '>=';
LT       : '<';
GT       : '>';
AND      : '&&';
OR       : '||';
NOT      : '!';
ASSIGN   : '=';
PLUS     : '+';
MINUS    : '-';
STAR     : '*';
SLASH    : '/';

// anything else is one bad character, reported by the parser facade
BAD_CHAR : .;

fragment DECIMAL       : [0-9]+ ('.' [0-9]+)?;
fragment EXPONENT      : [eE] [+-]? [0-9]+;
fragment DURATION_UNIT : 'ms' | 's' | 'm' | 'h' | 'd';
fragment HEX           : [0-9a-fA-F];

// ---- inside "..." ----
mode STRING;

STRING_END           : '"' { leave(); };
STRING_INTERP        : '${' { enter(DEFAULT_MODE, INTERPOLATION_OPEN); };
STRING_DOLLAR_ESCAPE : '$${';
STRING_ESCAPE        : '\\' ('u' HEX HEX HEX HEX | 'U' HEX HEX HEX HEX HEX HEX HEX HEX | ~[\r\n])?;
// a '$' is text unless it starts "${" or "$${"
STRING_TEXT          : (~["\\$\r\n] | '$' { isLoneDollar() }?)+;
// a newline (or the end of the file) before the closing quote: the string is unterminated
STRING_UNTERMINATED  : '\r'? '\n' { leaveUnterminatedString(); };

// ---- inside a heredoc, line by line ----
mode HEREDOC;

HEREDOC_END           : { atHeredocEnd() }? [ \t]* [a-zA-Z_] [a-zA-Z0-9_]* { endHeredoc(); };
HEREDOC_INTERP        : '${' { enter(DEFAULT_MODE, INTERPOLATION_OPEN); };
HEREDOC_DOLLAR_ESCAPE : '$${';
HEREDOC_TEXT          : (~[$\r\n] | '$' { isLoneDollar() }?)+;
HEREDOC_NEWLINE       : '\r'? '\n';
