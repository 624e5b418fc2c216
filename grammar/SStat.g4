// SStat.g4 — the grammar of .sstat, an R-like language for secure statistics.
//
// Operator precedence and associativity follow R's documented table (?Syntax),
// highest first: `$`, indexing and calls; `^` (right); unary `-` `+`; `:`;
// `%any%`; `*` `/`; binary `+` `-`; comparisons (non-associative, enforced by
// the AST builder); `!`; `&` `&&`; `|` `||`; `~`; `->` `->>`; `<-` `<<-`
// (right); `=` (right). In an ANTLR left-recursive rule an earlier alternative
// binds tighter, so the alternatives below are in exactly that order.
//
// Newlines: R ends a statement at a newline unless the expression cannot end
// there (a line ending in a binary operator, or inside `(...)` / `[...]`).
// The parser sees NL tokens only where they may end a statement: the token
// filter in compiler/lib/Parse/TokenFilter.cpp drops the others, exactly as
// R's own lexer does (see R's src/main/gram.y, `EatLines` and `contextstack`).
//
// This grammar holds no target-language code; the parse tree is turned into
// sstat's own AST in compiler/lib/Parse/ASTBuilder.cpp.

grammar SStat;

// A statement ends at a separator or at the end of the file. Written this
// way (rather than as one list) so that after a syntax error the parser
// resynchronizes at the next statement instead of giving up on the file.
// At the top level, as in R's gram.y, each statement ends with one `;`, a
// newline or the end of the file (`x;;y` is an error there, not in braces).
prog : (NL | stmt)* EOF ;

stmt : expr (';' | NL | EOF) ;

exprlist : sep* (expr (sep+ expr)* sep*)? ;

sep : NL | ';' ;

expr
  : expr '$' (ID | STRING)                          # DollarExpr
  | expr '[[' sublist ']' ']'                       # Index2Expr
  | expr '[' sublist ']'                            # Index1Expr
  | expr '(' sublist ')'                            # CallExpr
  | <assoc=right> expr '^' expr                     # PowExpr
  | op=('-' | '+') expr                             # SignExpr
  | expr ':' expr                                   # RangeExpr
  | expr SPECIAL expr                               # SpecialExpr
  | expr op=('*' | '/') expr                        # MulExpr
  | expr op=('+' | '-') expr                        # AddExpr
  | expr op=('<' | '>' | '<=' | '>=' | '==' | '!=') expr # CmpExpr
  | '!' expr                                        # NotExpr
  | expr op=('&' | '&&') expr                       # AndExpr
  | expr op=('|' | '||') expr                       # OrExpr
  | '~' expr                                        # TildeUnaryExpr
  | expr '~' expr                                   # TildeExpr
  | expr op=('->' | '->>') expr                     # RightAssignExpr
  | <assoc=right> expr op=('<-' | '<<-') expr       # LeftAssignExpr
  | <assoc=right> expr '=' expr                     # EqAssignExpr
  | 'function' '(' formlist? ')' expr               # FunctionExpr
  | 'if' '(' expr ')' expr ('else' expr)?           # IfExpr
  | 'for' '(' ID 'in' expr ')' expr                 # ForExpr
  | 'while' '(' expr ')' expr                       # WhileExpr
  | 'repeat' expr                                   # RepeatExpr
  | '{' exprlist '}'                                # BlockExpr
  | '(' expr ')'                                    # ParenExpr
  | 'break'                                         # BreakExpr
  | 'next'                                          # NextExpr
  | ID                                              # IdExpr
  | NUMBER                                          # NumberExpr
  | STRING                                          # StringExpr
  | constant=('TRUE' | 'FALSE' | 'NULL' | 'NA' | 'Inf' | 'NaN') # ConstExpr
  ;

// Arguments of a call or an index: positional, named, or empty (`x[, 1]`).
sublist : sub (',' sub)* ;
sub
  : name=(ID | STRING | 'NULL') '=' expr?           # NamedSub
  | expr                                            # PlainSub
  |                                                 # EmptySub
  ;

formlist : formal (',' formal)* ;
formal : ID ('=' expr)? ;

// ---------------------------------------------------------------- lexer

// Keywords and operators, named so the token filter can refer to them.
KW_FUNCTION : 'function' ;
KW_IF : 'if' ;
KW_ELSE : 'else' ;
KW_FOR : 'for' ;
KW_IN : 'in' ;
KW_WHILE : 'while' ;
KW_REPEAT : 'repeat' ;
KW_BREAK : 'break' ;
KW_NEXT : 'next' ;
KW_TRUE : 'TRUE' ;
KW_FALSE : 'FALSE' ;
KW_NULL : 'NULL' ;
KW_NA : 'NA' ;
KW_INF : 'Inf' ;
KW_NAN : 'NaN' ;
LEFT_ASSIGN : '<-' ;
SUPER_ASSIGN : '<<-' ;
RIGHT_ASSIGN : '->' ;
RIGHT_SUPER_ASSIGN : '->>' ;
EQ_ASSIGN : '=' ;
LE : '<=' ;
GE : '>=' ;
EQ : '==' ;
NE : '!=' ;
LT : '<' ;
GT : '>' ;
AND2 : '&&' ;
OR2 : '||' ;
AND : '&' ;
OR : '|' ;
NOT : '!' ;
TILDE : '~' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
CARET : '^' ;
COLON : ':' ;
DOLLAR : '$' ;
LBB : '[[' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA : ',' ;
SEMI : ';' ;

NUMBER
  : '0' [xX] HEX+ 'L'?
  | DIGIT+ ('.' DIGIT*)? EXPONENT? 'L'?
  | '.' DIGIT+ EXPONENT? 'L'?
  ;
fragment DIGIT : [0-9] ;
fragment HEX : [0-9a-fA-F] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;

STRING
  : '"' ( ESC | ~["\\\r\n] | NLCHAR )* '"'
  | '\'' ( ESC | ~['\\\r\n] | NLCHAR )* '\''
  ;
fragment ESC : '\\' . ;
fragment NLCHAR : '\r'? '\n' ;

// An unterminated string: reported by the AST builder with a clear message.
UNTERMINATED_STRING
  : '"' ( ESC | ~["\\] )*
  | '\'' ( ESC | ~['\\] )*
  ;

ID
  : ( [a-zA-Z] | NONASCII ) ( [a-zA-Z0-9._] | NONASCII )*
  | '.' ( ( [a-zA-Z._] | NONASCII ) ( [a-zA-Z0-9._] | NONASCII )* )?
  | '`' ~[`\r\n]+ '`'
  ;
// As R in a UTF-8 locale: letters beyond ASCII may appear in names.
fragment NONASCII : ~[\u0000-\u007F] ;

SPECIAL : '%' ~[%\r\n]* '%' ;

COMMENT : '#' ~[\r\n]* -> skip ;
NL : '\r'? '\n' ;
WS : [ \t\f]+ -> skip ;

// Anything else: the parser reports it as unexpected input.
BAD_CHAR : . ;
