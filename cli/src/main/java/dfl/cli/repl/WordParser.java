package dfl.cli.repl;

import org.jline.reader.impl.DefaultParser;

/**
 * Splits a line into words for completion the way DFL reads it: a word is a name (letters, digits, '_'),
 * so {@code tds(par<TAB>} completes {@code par}. After {@code :load} and {@code :save} only spaces separate words (file paths).
 * Lines are never rejected here: unfinished statements are the REPL's business, not the line editor's.
 */
final class WordParser extends DefaultParser {

    WordParser() {
        setEscapeChars(new char[0]);
        setEofOnUnclosedQuote(false);
        setEofOnUnclosedBracket();
    }

    @Override
    public boolean isDelimiterChar(CharSequence buffer, int pos) {
        char c = buffer.charAt(pos);
        String line = buffer.toString().stripLeading();
        if (line.startsWith(":load") || line.startsWith(":save")) return Character.isWhitespace(c);
        return !(Character.isLetterOrDigit(c) || c == '_' || c == ':' || Character.getType(c) == Character.NON_SPACING_MARK);
    }
}
