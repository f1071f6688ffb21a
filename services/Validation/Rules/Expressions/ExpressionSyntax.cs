namespace Vigil.Validation.Rules.Expressions;

internal enum TokenKind
{
    Number, Identifier, String,
    Plus, Minus, Star, Slash, LeftParen, RightParen, Comma,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or, Not, Is, Null, True, False,
    End,
}

/// <summary>One token; <see cref="Position"/> is the one-based character position of its first character.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0, bool Quoted = false)
{
    public string Describe() => Kind == TokenKind.End ? "the end of the expression" : $"'{Text}'";
}

internal enum BinaryOperator
{
    Add, Subtract, Multiply, Divide,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or,
}

/// <summary>What a sub-expression yields; <see cref="Unknown"/> is a column whose type is not known yet.</summary>
internal enum Shape { Number, Text, Condition, Unknown }

/// <summary>The syntax tree of an expression. Positions are one-based character positions in the text.</summary>
internal abstract record Expr(int Position);

internal sealed record NumberLiteral(double Value, int Position) : Expr(Position);

internal sealed record TextLiteral(string Value, int Position) : Expr(Position);

internal sealed record BooleanLiteral(bool Value, int Position) : Expr(Position);

internal sealed record ColumnReference(string Name, int Position) : Expr(Position);

internal sealed record Negation(Expr Operand, int Position) : Expr(Position);

internal sealed record LogicalNot(Expr Operand, int Position) : Expr(Position);

internal sealed record AbsoluteValue(Expr Operand, int Position) : Expr(Position);

internal sealed record NullTest(Expr Operand, bool Negated, int Position) : Expr(Position);

internal sealed record Binary(BinaryOperator Operator, Expr Left, Expr Right, int Position) : Expr(Position)
{
    public bool IsArithmetic => Operator <= BinaryOperator.Divide;
    public bool IsComparison => Operator is >= BinaryOperator.Equal and <= BinaryOperator.GreaterOrEqual;
    public bool IsEquality => Operator is BinaryOperator.Equal or BinaryOperator.NotEqual;
    public bool IsLogical => Operator is BinaryOperator.And or BinaryOperator.Or;

    public string Symbol => Operator switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.And => "and",
        _ => "or",
    };
}

/// <summary>A parsed expression: its tree and the columns it names, in order of first appearance.</summary>
internal sealed record ParsedExpression(string Text, Expr Root, IReadOnlyList<string> Columns);
