// Parser of the .imm language.
//
// The grammar knows files, blocks, attributes and expressions, never a block type such as `fleet`: what a
// block may contain is decided by schemas after parsing. Newlines are not tokens the parser sees, so
// attributes are separated by newlines or plain white space alike (not commas). Only dev.imm.lang.Parser uses
// the classes generated from this file.
parser grammar ImmParser;

options { tokenVocab = ImmLexer; }

@members {
    /** True when the next token is on the line of the previous one: an import's alias must be. */
    private boolean onSameLine() {
        return _input.LT(1).getLine() == _input.LT(-1).getLine();
    }
}

configFile : (importDecl | bodyItem)* EOF;

// `import "path" as alias`; `as` is a name, not a keyword: the builder checks its spelling, and both names
// must be on the import's line so that the next block's type is never taken for an alias
importDecl : IMPORT path=stringLit ({onSameLine()}? first=IDENT ({onSameLine()}? second=IDENT)?)?;

bodyItem : attribute | block;

attribute : name=IDENT ASSIGN expr;

block : type=IDENT stringLit* LBRACE bodyItem* RBRACE;

expr
    : primary                                                   # primaryExpr
    | expr DOT IDENT                                            # getAttrExpr
    | expr LBRACKET expr RBRACKET                               # indexExpr
    | op=(NOT | MINUS) expr                                     # unaryExpr
    | expr op=(STAR | SLASH) expr                               # binaryExpr
    | expr op=(PLUS | MINUS) expr                               # binaryExpr
    | expr op=(LT | LE | GT | GE) expr                          # binaryExpr
    | expr op=(EQ | NEQ) expr                                   # binaryExpr
    | expr op=AND expr                                          # binaryExpr
    | expr op=OR expr                                           # binaryExpr
    | <assoc=right> expr QUESTION expr COLON expr               # conditionalExpr
    ;

primary
    : literal=(NUMBER | DURATION | PERCENT | TRUE | FALSE | NULL)                     # literalExpr
    | stringLit                                                                         # stringExpr
    | heredoc                                                                           # heredocExpr
    | name=IDENT LPAREN (expr (COMMA expr)* COMMA?)? RPAREN                             # callExpr
    | name=IDENT                                                                        # variableExpr
    | LBRACKET FOR forVars IN expr COLON expr (IF expr)? RBRACKET                       # forListExpr
    | LBRACE FOR forVars IN expr COLON expr ARROW expr (IF expr)? RBRACE                # forObjectExpr
    | LBRACKET (expr (COMMA expr)* COMMA?)? RBRACKET                                    # listExpr
    | LBRACE (objectItem (COMMA? objectItem)* COMMA?)? RBRACE                           # objectExpr
    | LPAREN expr RPAREN                                                                # parenExpr
    ;

forVars : first=IDENT (COMMA second=IDENT)?;

objectItem : (IDENT | stringLit) (ASSIGN | COLON) expr;

// STRING_UNTERMINATED ends a string that a newline cut short; the parser facade reports it
stringLit : QUOTE stringPart* (STRING_END | STRING_UNTERMINATED);

stringPart
    : STRING_TEXT
    | STRING_ESCAPE
    | STRING_DOLLAR_ESCAPE
    | STRING_INTERP expr RBRACE
    ;

heredoc : HEREDOC_START heredocPart* HEREDOC_END;

heredocPart
    : HEREDOC_TEXT
    | HEREDOC_NEWLINE
    | HEREDOC_DOLLAR_ESCAPE
    | HEREDOC_INTERP expr RBRACE
    ;

// Entry points for text that is not a file of blocks: a value given on the command line, and a template
// file read by templatefile() (lexed from the heredoc mode, so it is text with ${...} interpolations).
exprFile : expr EOF;

templateFile : heredocPart* EOF;
