using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Vigil.Validation.Rules.Expressions;

/// <summary>
/// Parses the cross-field expression language into a tree. Nothing in it can call code: the only names are columns
/// and the function <c>abs</c>, and the tokenizer rejects every character outside the language.
/// <code>
/// expression := or
/// or         := and (('or' | '||') and)*
/// and        := not (('and' | '&amp;&amp;') not)*
/// not        := ('not' | '!') not | comparison
/// comparison := additive [ ('==' | '=' | '!=' | '&lt;>' | '&lt;' | '&lt;=' | '>' | '>=') additive | 'is' ['not'] 'null' ]
/// additive   := term (('+' | '-') term)*
/// term       := unary (('*' | '/') unary)*
/// unary      := ('-' | '+') unary | primary
/// primary    := number | 'text' | "text" | true | false | column | `any column name` | abs '(' expression ')' | '(' expression ')'
/// </code>
/// Keywords are case-insensitive. Comparisons do not chain (<c>a &lt; b &lt; c</c> is an error). The whole expression
/// must be a condition. Types: timestamps compare as Unix seconds, booleans only with <c>==</c>/<c>!=</c>, text columns
/// compare as text with <c>==</c>/<c>!=</c> against text and are read as numbers where a number is needed.
/// </summary>
internal sealed class ExpressionParser
{
    public const int MaxLength = 4000;
    public const int MaxDepth = 64;

    private static readonly ConditionalWeakTable<string, ParsedExpression> Cache = [];

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private ExpressionParser(List<Token> tokens) => _tokens = tokens;

    public static RuleDefinitionException Error(int position, string message) =>
        new($"invalid expression at position {position}: {message}", position: position);

    /// <summary>Parses and checks the expression's shape; throws <see cref="RuleDefinitionException"/> with the position.</summary>
    public static ParsedExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength) throw Error(MaxLength + 1, $"the expression is longer than {MaxLength} characters");
        if (string.IsNullOrWhiteSpace(text)) throw Error(1, "the expression is empty");
        var parser = new ExpressionParser(ExpressionTokenizer.Tokenize(text));
        var root = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
            throw Error(parser.Current.Position, $"unexpected {parser.Current.Describe()} after a complete expression");
        var shape = ShapeOf(root, _ => Shape.Unknown);
        if (shape is Shape.Number or Shape.Text)
            throw Error(1, $"the expression must be a condition (a comparison such as a == b), not {Describe(shape)}");
        var columns = new List<string>();
        CollectColumns(root, columns);
        return new ParsedExpression(text, root, columns);
    }

    /// <summary>Parses once per expression string instance (rules keep theirs), caching the tree.</summary>
    public static bool TryParseCached(string text, [NotNullWhen(true)] out ParsedExpression? parsed, [NotNullWhen(false)] out RuleDefinitionException? error)
    {
        error = null;
        if (Cache.TryGetValue(text, out parsed)) return true;
        try
        {
            parsed = Parse(text);
        }
        catch (RuleDefinitionException e)
        {
            error = e;
            return false;
        }
        Cache.AddOrUpdate(text, parsed);
        return true;
    }

    /// <summary>
    /// The shape of <paramref name="expr"/>, checking that operators get operands they accept. Text columns can stand
    /// where a number is needed (read as numbers row by row); text literals cannot.
    /// </summary>
    public static Shape ShapeOf(Expr expr, Func<ColumnReference, Shape> columnShape)
    {
        switch (expr)
        {
            case NumberLiteral: return Shape.Number;
            case TextLiteral: return Shape.Text;
            case BooleanLiteral: return Shape.Condition;
            case ColumnReference column: return columnShape(column);
            case NullTest test:
                ShapeOf(test.Operand, columnShape);
                return Shape.Condition;
            case Negation negation:
                RequireNumber(negation.Operand, ShapeOf(negation.Operand, columnShape), "'-'");
                return Shape.Number;
            case AbsoluteValue abs:
                RequireNumber(abs.Operand, ShapeOf(abs.Operand, columnShape), "abs");
                return Shape.Number;
            case LogicalNot not:
                RequireCondition(not.Operand, ShapeOf(not.Operand, columnShape), "'not'");
                return Shape.Condition;
            case Binary binary:
                var left = ShapeOf(binary.Left, columnShape);
                var right = ShapeOf(binary.Right, columnShape);
                var what = $"'{binary.Symbol}'";
                if (binary.IsArithmetic)
                {
                    RequireNumber(binary.Left, left, what);
                    RequireNumber(binary.Right, right, what);
                    return Shape.Number;
                }
                if (binary.IsLogical)
                {
                    RequireCondition(binary.Left, left, what);
                    RequireCondition(binary.Right, right, what);
                    return Shape.Condition;
                }
                if (!binary.IsEquality)
                {
                    RequireNumber(binary.Left, left, what);
                    RequireNumber(binary.Right, right, what);
                    return Shape.Condition;
                }
                // Equality: a column whose type is not known yet may turn out to fit anything; binding checks again.
                if (left == Shape.Unknown || right == Shape.Unknown) return Shape.Condition;
                if (left == Shape.Condition || right == Shape.Condition)
                {
                    if (left != right)
                        throw Error(binary.Position, $"{what} cannot compare {Describe(left)} with {Describe(right)}");
                    return Shape.Condition;
                }
                if (left == Shape.Text && right == Shape.Text) return Shape.Condition;
                // Number against text: fine for a text column (read as numbers), not for a text literal.
                RequireNumber(binary.Left, left, what);
                RequireNumber(binary.Right, right, what);
                return Shape.Condition;
            default:
                throw new InvalidOperationException($"Unexpected node {expr.GetType().Name}.");
        }
    }

    public static string Describe(Shape shape) => shape switch
    {
        Shape.Number => "a number",
        Shape.Text => "text",
        Shape.Condition => "a condition",
        _ => "a column",
    };

    private static void RequireNumber(Expr operand, Shape shape, string what)
    {
        if (shape is Shape.Number or Shape.Unknown) return;
        if (shape == Shape.Text && operand is not TextLiteral) return;
        throw Error(operand.Position, $"{what} needs a number, not {Describe(shape)}{Named(operand)}");
    }

    private static void RequireCondition(Expr operand, Shape shape, string what)
    {
        if (shape is Shape.Condition or Shape.Unknown) return;
        throw Error(operand.Position, $"{what} needs a condition, not {Describe(shape)}{Named(operand)}");
    }

    private static string Named(Expr operand) => operand is ColumnReference column ? $" (column '{column.Name}')" : "";

    private static void CollectColumns(Expr expr, List<string> columns)
    {
        switch (expr)
        {
            case ColumnReference column when !columns.Contains(column.Name, StringComparer.Ordinal):
                columns.Add(column.Name);
                break;
            case Negation n: CollectColumns(n.Operand, columns); break;
            case LogicalNot n: CollectColumns(n.Operand, columns); break;
            case AbsoluteValue a: CollectColumns(a.Operand, columns); break;
            case NullTest t: CollectColumns(t.Operand, columns); break;
            case Binary b:
                CollectColumns(b.Left, columns);
                CollectColumns(b.Right, columns);
                break;
        }
    }

    private Token Current => _tokens[_next];

    private Token Advance() => _tokens[_next++];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        _next++;
        return true;
    }

    private Expr ParseOr()
    {
        Enter();
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Advance();
            left = new Binary(BinaryOperator.Or, left, ParseAnd(), op.Position);
        }
        _depth--;
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.Kind == TokenKind.And)
        {
            var op = Advance();
            left = new Binary(BinaryOperator.And, left, ParseNot(), op.Position);
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (Current.Kind != TokenKind.Not) return ParseComparison();
        var op = Advance();
        Enter();
        var operand = ParseNot();
        _depth--;
        return new LogicalNot(operand, op.Position);
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        if (Current.Kind == TokenKind.Is)
        {
            var op = Advance();
            var negated = Accept(TokenKind.Not);
            if (!Accept(TokenKind.Null)) throw Error(Current.Position, $"expected 'null' after '{(negated ? "is not" : "is")}' but found {Current.Describe()}");
            left = new NullTest(left, negated, op.Position);
        }
        else if (ComparisonOperator(Current.Kind) is { } comparison)
        {
            var op = Advance();
            left = new Binary(comparison, left, ParseAdditive(), op.Position);
        }
        else
        {
            return left;
        }
        if (Current.Kind == TokenKind.Is || ComparisonOperator(Current.Kind) is not null)
            throw Error(Current.Position, $"comparisons cannot be chained: {Current.Describe()} follows a comparison; join them with 'and'");
        return left;
    }

    private static BinaryOperator? ComparisonOperator(TokenKind kind) => kind switch
    {
        TokenKind.Equal => BinaryOperator.Equal,
        TokenKind.NotEqual => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
        _ => null,
    };

    private Expr ParseAdditive()
    {
        var left = ParseTerm();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            left = new Binary(op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract, left, ParseTerm(), op.Position);
        }
        return left;
    }

    private Expr ParseTerm()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Advance();
            left = new Binary(op.Kind == TokenKind.Star ? BinaryOperator.Multiply : BinaryOperator.Divide, left, ParseUnary(), op.Position);
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (Current.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePrimary();
        var op = Advance();
        Enter();
        var operand = ParseUnary();
        _depth--;
        return op.Kind == TokenKind.Minus ? new Negation(operand, op.Position) : operand;
    }

    private Expr ParsePrimary()
    {
        var token = Advance();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberLiteral(token.Number, token.Position);
            case TokenKind.String:
                return new TextLiteral(token.Text, token.Position);
            case TokenKind.True or TokenKind.False:
                return new BooleanLiteral(token.Kind == TokenKind.True, token.Position);
            case TokenKind.Null:
                throw Error(token.Position, "'null' can only be tested with 'is null' or 'is not null'");
            case TokenKind.Identifier when !token.Quoted && Current.Kind == TokenKind.LeftParen:
                return ParseCall(token);
            case TokenKind.Identifier:
                return new ColumnReference(token.Text, token.Position);
            case TokenKind.LeftParen:
                var inner = ParseOr();
                if (!Accept(TokenKind.RightParen))
                    throw Error(Current.Position, $"expected ')' to close the '(' at position {token.Position} but found {Current.Describe()}");
                return inner;
            default:
                throw Error(token.Position, $"expected a number, a column or '(' but found {token.Describe()}");
        }
    }

    private Expr ParseCall(Token name)
    {
        if (!name.Text.Equals("abs", StringComparison.OrdinalIgnoreCase))
            throw Error(name.Position, $"unknown function '{name.Text}'; the only function is abs(x)");
        var open = Advance();
        if (Current.Kind == TokenKind.RightParen) throw Error(Current.Position, "abs needs one argument");
        var argument = ParseOr();
        if (Current.Kind == TokenKind.Comma) throw Error(Current.Position, "abs takes exactly one argument");
        if (!Accept(TokenKind.RightParen))
            throw Error(Current.Position, $"expected ')' to close the '(' at position {open.Position} but found {Current.Describe()}");
        return new AbsoluteValue(argument, name.Position);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Error(Current.Position, $"the expression nests deeper than {MaxDepth} levels");
    }
}
