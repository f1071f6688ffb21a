using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Expressions;

/// <summary>
/// Binds a parsed expression to a batch's columns and builds the tree of vectorised evaluation nodes. A column the
/// batch lacks, or one whose type does not fit where it is used, is a <see cref="RuleDefinitionException"/>.
/// </summary>
internal static class ExpressionCompiler
{
    public static ConditionNode Compile(ParsedExpression parsed, TypedTable table, double tolerance)
    {
        var binder = new Binder(table, tolerance);
        var shape = binder.Shape(parsed.Root);
        if (shape != Shape.Condition)
        {
            var named = parsed.Root is ColumnReference column ? $" (column '{column.Name}' is {TypeName(table[column.Name])})" : "";
            throw ExpressionParser.Error(1, $"the expression must be a condition (a comparison such as a == b), not {ExpressionParser.Describe(shape)}{named}");
        }
        return binder.Condition(parsed.Root);
    }

    /// <summary>What a column of this type is in an expression.</summary>
    public static Shape ShapeOf(ColumnType type) => type switch
    {
        ColumnType.Integer or ColumnType.Decimal or ColumnType.Timestamp => Shape.Number,
        ColumnType.Boolean => Shape.Condition,
        _ => Shape.Text,
    };

    private static string TypeName(Column column) => column.Type.ToString().ToLowerInvariant();

    private sealed class Binder(TypedTable table, double tolerance)
    {
        public Shape Shape(Expr expr) => ExpressionParser.ShapeOf(expr, reference => ShapeOf(Resolve(reference).Type));

        private Column Resolve(ColumnReference reference) => table.TryGetColumn(reference.Name, out var column)
            ? column
            : throw new RuleDefinitionException($"Column '{reference.Name}' is not in the batch (position {reference.Position} of the expression)",
                position: reference.Position);

        public ConditionNode Condition(Expr expr) => expr switch
        {
            BooleanLiteral literal => new ConstantCondition(literal.Value),
            ColumnReference reference => new BooleanColumnCondition(Resolve(reference)),
            LogicalNot not => new NotCondition(Condition(not.Operand)),
            NullTest test => Shape(test.Operand) switch
            {
                Expressions.Shape.Condition => new NullCondition(Condition(test.Operand), test.Negated),
                Expressions.Shape.Text => new NullCondition(Text(test.Operand), test.Negated),
                _ => new NullCondition(Number(test.Operand), test.Negated),
            },
            Binary { IsLogical: true } logical =>
                new LogicalCondition(logical.Operator == BinaryOperator.And, Condition(logical.Left), Condition(logical.Right)),
            Binary comparison => Comparison(comparison),
            _ => throw new InvalidOperationException($"Unexpected condition {expr.GetType().Name}."),
        };

        private ConditionNode Comparison(Binary comparison)
        {
            var left = Shape(comparison.Left);
            var right = Shape(comparison.Right);
            var equal = comparison.Operator == BinaryOperator.Equal;
            if (left == Expressions.Shape.Condition && right == Expressions.Shape.Condition)
                return new ConditionComparison(equal, Condition(comparison.Left), Condition(comparison.Right));
            if (left == Expressions.Shape.Text && right == Expressions.Shape.Text && comparison.IsEquality)
                return new TextComparison(equal, Text(comparison.Left), Text(comparison.Right));
            return new NumberComparison(comparison.Operator, Number(comparison.Left), Number(comparison.Right), tolerance);
        }

        private NumberNode Number(Expr expr) => expr switch
        {
            NumberLiteral literal => new ConstantNumber(literal.Value),
            ColumnReference reference => ColumnNumberOf(Resolve(reference)),
            Negation negation => new NegatedNumber(Number(negation.Operand)),
            AbsoluteValue abs => new AbsoluteNumber(Number(abs.Operand)),
            Binary arithmetic => new ArithmeticNumber(arithmetic.Operator, Number(arithmetic.Left), Number(arithmetic.Right)),
            _ => throw new InvalidOperationException($"Unexpected number {expr.GetType().Name}."),
        };

        private static NumberNode ColumnNumberOf(Column column) =>
            column.IsNumeric || column.Type == ColumnType.Timestamp ? new ColumnNumber(column) : new TextColumnNumber(column);

        private TextNode Text(Expr expr) => expr switch
        {
            TextLiteral literal => new ConstantText(literal.Value),
            ColumnReference reference => new ColumnText(Resolve(reference)),
            _ => throw new InvalidOperationException($"Unexpected text {expr.GetType().Name}."),
        };
    }
}
