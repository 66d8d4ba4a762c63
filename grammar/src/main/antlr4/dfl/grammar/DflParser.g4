/*
 * Syntax of DFL (DESIGN §1). No actions: dfl.grammar.AstBuilder turns parse trees into
 * dfl.ast records, and dfl.grammar.Parse reports errors in user terms.
 *
 * Precedence, loosest first: '+' '-' (left), '*' '/' '@' (left), unary '-', '^' (right;
 * its right operand may itself start with unary '-': q^-0.3), call, primary.
 * -x^2 is -(x^2) and a^-b*c is (a^(-b))*c.
 */
parser grammar DflParser;

options { tokenVocab = DflLexer; }

program    : statement* EOF ;

// Entry point for a single expression (the REPL and tests).
expression : expr EOF ;

statement
    : OBSERVE data=expr TILDE dist=expr SEMI                 # observeStmt
    | COMPOSE expr SEMI                                      # composeStmt
    | SAMPLE ID (WITH call)? (INTO STRING)? SEMI             # sampleStmt
    | ID LPAREN paramList? RPAREN ASSIGN expr SEMI           # functionDefStmt
    | ID ASSIGN expr SEMI                                    # bindingStmt
    | ID TILDE expr SEMI                                     # latentStmt
    ;

paramList : ID (COMMA ID)* ;

// Alternatives listed earlier bind tighter. The prefix alternative negExpr parses its
// operand at its own level, so '^' (listed above it) binds tighter than unary minus and
// '*' (listed below) looser.
expr
    : <assoc=right> base=expr CARET exponent=expr            # powExpr
    | MINUS expr                                             # negExpr
    | left=expr op=(STAR | SLASH | AT) right=expr            # mulExpr
    | left=expr op=(PLUS | MINUS) right=expr                 # addExpr
    | call                                                   # callExpr
    | ID                                                     # varExpr
    | NUMBER                                                 # numberExpr
    | STRING                                                 # stringExpr
    | LBRACK (expr (COMMA expr)*)? RBRACK                    # vectorExpr
    | LPAREN expr RPAREN                                     # parenExpr
    ;

call : ID LPAREN argList? RPAREN ;

argList : arg (COMMA arg)* ;

arg
    : ID ASSIGN expr                                         # namedArg
    | expr                                                   # positionalArg
    ;
