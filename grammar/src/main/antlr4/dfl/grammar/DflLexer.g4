/*
 * Tokens of DFL. Error tokens (BAD_NUMBER, UNTERMINATED_*, STARSTAR, ERROR_CHAR) are real
 * tokens rather than lexer failures: the lexer never drops or guesses characters, and the
 * facade turns each error token into a diagnostic (E0001, E0002, E0005) before parsing.
 * Columns count Unicode code points (ANTLR's CodePointCharStream).
 */
lexer grammar DflLexer;

// Keywords precede ID so that they win ties of equal length.
OBSERVE : 'observe' ;
COMPOSE : 'compose' ;
SAMPLE  : 'sample' ;
WITH    : 'with' ;
INTO    : 'into' ;

// 12, 0.5, 1., .5, 1e-3, 2.5E+10
NUMBER  : NUM_PREFIX EXPONENT? ;

// A number run into letters or a second '.', or an exponent without digits:
// 2x, 1_000, 0x1F, 1..2, 1.2.3, 1e, 1e+. Listed after NUMBER so NUMBER wins ties.
BAD_NUMBER
    : NUM_PREFIX [eE] [+-]?
    | NUM_PREFIX EXPONENT? (ID_CONT | '.')+
    ;

ID      : ID_START ID_CONT* ;

STRING  : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;

// Shorter than STRING whenever the closing quote exists, so it only wins when the string
// runs into the end of the line or of the input.
UNTERMINATED_STRING : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '\\'? ;

BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// Matches the longest prefix of a comment that contains no '*/': shorter than BLOCK_COMMENT
// whenever the comment is closed.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* ;

LINE_COMMENT : '//' ~[\r\n]* -> skip ;

WS : [\p{Zs}\t\r\n\f\u000B\uFEFF\u2028\u2029]+ -> skip ;

// '**' is a common mistake for '^'; lexing it as one token lets the diagnostic say so.
STARSTAR : '**' ;

PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
CARET   : '^' ;
AT      : '@' ;
TILDE   : '~' ;
ASSIGN  : '=' ;
COMMA   : ',' ;
SEMI    : ';' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
LBRACK  : '[' ;
RBRACK  : ']' ;

// Anything else: reported as E0001 with a hint for common look-alikes.
ERROR_CHAR : . ;

fragment NUM_PREFIX : DIGITS ('.' DIGITS?)? | '.' DIGITS ;
fragment EXPONENT   : [eE] [+-]? DIGITS ;
fragment DIGITS     : [0-9]+ ;
fragment ID_START   : [\p{L}_] ;
// Letters, combining marks (x̂), decimal digits, '_' and subscript digits (x₁).
fragment ID_CONT    : [\p{L}\p{Mn}\p{Mc}\p{Nd}_\u2080-\u2089] ;
