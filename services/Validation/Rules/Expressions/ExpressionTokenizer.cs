using System.Globalization;
using System.Text;

namespace Vigil.Validation.Rules.Expressions;

/// <summary>Splits an expression into tokens. Anything outside the small language is an error with its position.</summary>
internal static class ExpressionTokenizer
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["and"] = TokenKind.And,
        ["or"] = TokenKind.Or,
        ["not"] = TokenKind.Not,
        ["is"] = TokenKind.Is,
        ["null"] = TokenKind.Null,
        ["true"] = TokenKind.True,
        ["false"] = TokenKind.False,
    };

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var word = text[start..i];
                tokens.Add(Keywords.TryGetValue(word, out var keyword)
                    ? new Token(keyword, word, start + 1)
                    : new Token(TokenKind.Identifier, word, start + 1));
            }
            else if (c == '`')
            {
                tokens.Add(new Token(TokenKind.Identifier, ReadQuoted(text, ref i, '`', "column name"), start + 1, Quoted: true));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadQuoted(text, ref i, c, "text"), start + 1));
            }
            else
            {
                var (kind, length) = ReadOperator(text, i);
                if (length == 0) throw ExpressionParser.Error(start + 1, $"unexpected character '{c}'");
                tokens.Add(new Token(kind, text.Substring(i, length), start + 1));
                i += length;
            }
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
        return tokens;
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-') exponent++;
            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                i = exponent;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            }
        }
        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_' || text[i] == '.'))
            throw ExpressionParser.Error(i + 1, $"unexpected '{text[i]}' after the number '{text[start..i]}'");
        var literal = text[start..i];
        var value = double.Parse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value)) throw ExpressionParser.Error(start + 1, $"the number '{literal}' is too large");
        return new Token(TokenKind.Number, literal, start + 1, value);
    }

    private static string ReadQuoted(string text, ref int i, char quote, string what)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length) throw ExpressionParser.Error(start + 1, $"unterminated {what}: missing closing {quote}");
            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            value.Append(text[i++]);
        }
        if (quote == '`' && value.Length == 0) throw ExpressionParser.Error(start + 1, "empty column name ``");
        return value.ToString();
    }

    private static (TokenKind Kind, int Length) ReadOperator(string text, int i)
    {
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        return (text[i], next) switch
        {
            ('=', '=') => (TokenKind.Equal, 2),
            ('=', _) => (TokenKind.Equal, 1),
            ('!', '=') => (TokenKind.NotEqual, 2),
            ('<', '>') => (TokenKind.NotEqual, 2),
            ('<', '=') => (TokenKind.LessOrEqual, 2),
            ('>', '=') => (TokenKind.GreaterOrEqual, 2),
            ('<', _) => (TokenKind.Less, 1),
            ('>', _) => (TokenKind.Greater, 1),
            ('&', '&') => (TokenKind.And, 2),
            ('|', '|') => (TokenKind.Or, 2),
            ('!', _) => (TokenKind.Not, 1),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            _ => (TokenKind.End, 0),
        };
    }
}
