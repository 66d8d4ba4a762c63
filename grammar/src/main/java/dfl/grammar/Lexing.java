package dfl.grammar;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * Lexes a whole source and turns the lexer's error tokens into diagnostics (E0001, E0002, E0005,
 * E0006). Lexical errors stop the pipeline before parsing: a parser fed a token stream with holes
 * would only report follow-on errors.
 */
final class Lexing {
    private Lexing() {}

    /** At most this many lexical diagnostics are reported; the rest are follow-on noise. */
    static final int MAX_DIAGNOSTICS = 20;

    /** Tokens (ending with EOF) or the diagnostics that stop parsing. */
    record Lexed(List<Token> tokens, List<Diagnostic> diagnostics, boolean incomplete) {
        boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    static Lexed lex(String name, String text, Parse.Limits limits) {
        if (text.length() > limits.maxChars()) {
            return fatal(Diagnostic.error(Code.E0006, Span.NONE,
                    "the program is too large: " + text.length() + " characters, the limit is " + limits.maxChars() + ".",
                    "Put large data in a file and read it with load(\"...\")."));
        }
        // ANTLR counts lines at '\n' only; String.lines() (used to print source lines) also breaks at a
        // lone '\r'. Turning a lone '\r' into '\n' keeps every offset and makes both agree.
        String normalized = normalizeLoneCarriageReturns(text);
        DflLexer lexer = new DflLexer(CharStreams.fromString(normalized, name));
        lexer.removeErrorListeners();
        List<Token> tokens = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        boolean allIncomplete = true;
        Token pendingErrorStart = null;
        Token pendingErrorEnd = null;
        StringBuilder pendingErrorText = new StringBuilder();
        while (true) {
            Token t = lexer.nextToken();
            // Adjacent unexpected characters ("$$$") make one diagnostic, not one each.
            if (pendingErrorStart != null && !(t.getType() == DflLexer.ERROR_CHAR
                    && t.getStartIndex() == pendingErrorEnd.getStopIndex() + 1)) {
                diags.add(unexpectedCharacters(pendingErrorStart, pendingErrorEnd, pendingErrorText.toString()));
                allIncomplete = false;
                pendingErrorStart = null;
            }
            if (diags.size() >= MAX_DIAGNOSTICS) break;
            switch (t.getType()) {
                case DflLexer.ERROR_CHAR -> {
                    if (pendingErrorStart == null) {
                        pendingErrorStart = t;
                        pendingErrorText.setLength(0);
                    }
                    pendingErrorEnd = t;
                    pendingErrorText.append(t.getText());
                }
                case DflLexer.STARSTAR -> {
                    diags.add(Diagnostic.error(Code.E0001, TokenSpans.of(t), "unexpected '**'.",
                            "Use '^' for powers, as in 'x^2'."));
                    allIncomplete = false;
                }
                case DflLexer.BAD_NUMBER -> {
                    diags.add(badNumber(t));
                    allIncomplete = false;
                }
                case DflLexer.NUMBER -> {
                    if (Double.isInfinite(Double.parseDouble(t.getText()))) {
                        diags.add(Diagnostic.error(Code.E0005, TokenSpans.of(t),
                                "the number " + t.getText() + " is too large.",
                                "The largest number is about 1.8e308."));
                        allIncomplete = false;
                    }
                }
                case DflLexer.STRING -> {
                    Diagnostic d = checkEscapes(t);
                    if (d != null) {
                        diags.add(d);
                        allIncomplete = false;
                    }
                }
                case DflLexer.UNTERMINATED_STRING -> {
                    boolean atEnd = t.getStopIndex() == normalized.length() - 1;
                    diags.add(Diagnostic.error(Code.E0002, TokenSpans.of(t),
                            "unterminated string: a string must end with '\"' on the line where it starts."));
                    allIncomplete &= atEnd;
                }
                case DflLexer.UNTERMINATED_COMMENT -> {
                    Span open = new Span(t.getLine(), t.getCharPositionInLine() + 1, t.getLine(), t.getCharPositionInLine() + 2);
                    diags.add(Diagnostic.error(Code.E0002, open,
                            "unterminated comment: this '/*' has no matching '*/'."));
                }
                default -> { }
            }
            tokens.add(t);
            if (t.getType() == Token.EOF) break;
            if (tokens.size() > limits.maxTokens()) {
                return fatal(Diagnostic.error(Code.E0006, TokenSpans.of(t),
                        "the program is too large: more than " + limits.maxTokens() + " tokens.",
                        "Put large data in a file and read it with load(\"...\")."));
            }
        }
        return new Lexed(tokens, diags, !diags.isEmpty() && allIncomplete);
    }

    private static Lexed fatal(Diagnostic d) {
        return new Lexed(List.of(), List.of(d), false);
    }

    static String normalizeLoneCarriageReturns(String text) {
        if (text.indexOf('\r') < 0) return text;
        char[] cs = text.toCharArray();
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == '\r' && (i + 1 >= cs.length || cs[i + 1] != '\n')) cs[i] = '\n';
        }
        return new String(cs);
    }

    private static Diagnostic unexpectedCharacters(Token first, Token last, String text) {
        Span span = TokenSpans.of(first).to(TokenSpans.of(last));
        int cp = text.codePointAt(0);
        boolean single = text.length() == Character.charCount(cp);
        String shown = single ? "character " + showChar(cp) : "characters " + showChars(text);
        String hint = hintFor(cp);
        return hint == null
                ? Diagnostic.error(Code.E0001, span, "unexpected " + shown + ".")
                : Diagnostic.error(Code.E0001, span, "unexpected " + shown + ".", hint);
    }

    /** A character as the user should see it; invisible ones by code point. */
    static String showChar(int cp) {
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                || Character.isWhitespace(cp) || !Character.isDefined(cp)
                || Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.PRIVATE_USE) {
            return String.format("U+%04X", cp);
        }
        if (cp == '\'') return "\"'\"";
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private static String showChars(String text) {
        boolean visible = text.codePoints().allMatch(cp -> showChar(cp).startsWith("'"));
        if (visible && text.length() <= 20) return "'" + text + "'";
        return showChar(text.codePointAt(0)) + " and " + (text.codePointCount(0, text.length()) - 1) + " more";
    }

    /** Hints for look-alikes of DFL syntax. */
    private static String hintFor(int cp) {
        return switch (cp) {
            case '{', '}' -> "DFL has no blocks: write one statement per line, each ending with ';'.";
            case '#' -> "Comments start with '//' or are enclosed in '/* */'.";
            case '\'' -> "Strings are written in double quotes, as in \"mnist\".";
            case '\u201C', '\u201D', '\u201E', '\u00AB', '\u00BB' -> "Use straight double quotes '\"' for strings.";
            case '\u2212', '\u2013', '\u2014' -> "Use the ASCII minus sign '-'.";
            case '\u00D7', '\u00B7', '\u22C5', '\u2217' -> "Use '*' for multiplication.";
            case ':' -> "Bind a name with '=', as in 'x = 1;'.";
            case '\\' -> "A backslash is only allowed inside strings.";
            case '%' -> "DFL has no remainder operator.";
            case '!', '&', '|', '<', '>', '?' -> "DFL has no logical or comparison operators.";
            case '.' -> "A number needs a digit next to the decimal point, as in '0.5'.";
            default -> null;
        };
    }

    private static Diagnostic badNumber(Token t) {
        String s = t.getText();
        String message = "invalid number '" + s + "'.";
        Span span = TokenSpans.of(t);
        char last = s.charAt(s.length() - 1);
        String hint;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            hint = "Numbers are written in decimal.";
        } else if (s.indexOf('_') >= 0) {
            hint = "Write numbers without '_' separators.";
        } else if (last == 'e' || last == 'E' || last == '+' || last == '-') {
            hint = "An exponent needs digits, as in '1e-3'.";
        } else if (s.chars().filter(c -> c == '.').count() > 1) {
            hint = "A number has at most one decimal point.";
        } else {
            int i = 0;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            hint = "To multiply, write a space and '*', as in '" + s.substring(0, i) + " * " + s.substring(i) + "'.";
        }
        return Diagnostic.error(Code.E0005, span, message, hint);
    }

    /** Escapes allowed in strings, after the backslash. */
    static final String ESCAPES = "\"\\ntr";

    private static Diagnostic checkEscapes(Token t) {
        String s = t.getText();
        int col = t.getCharPositionInLine() + 1;
        for (int i = 1; i < s.length() - 1; ) {
            int cp = s.codePointAt(i);
            if (cp == '\\') {
                int next = s.codePointAt(i + 1);
                if (ESCAPES.indexOf(next) < 0) {
                    int c = col + s.codePointCount(0, i);
                    return Diagnostic.error(Code.E0001, new Span(t.getLine(), c, t.getLine(), c + 1),
                            "unknown escape sequence '\\" + new String(Character.toChars(next)) + "' in a string.",
                            "The escapes are \\\" \\\\ \\n \\t and \\r; write '\\\\' for a backslash.");
                }
                i += 1 + Character.charCount(next);
            } else {
                i += Character.charCount(cp);
            }
        }
        return null;
    }

    /** The value of a STRING token: quotes removed, escapes replaced. Assumes {@link #checkEscapes} passed. */
    static String unescape(String token) {
        StringBuilder sb = new StringBuilder(token.length());
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = token.charAt(++i);
            sb.append(switch (n) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> n;
            });
        }
        return sb.toString();
    }
}
