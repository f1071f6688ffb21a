using Vigil.Tabular.Tables;
using Vigil.Validation.Rules.Expressions;

namespace Vigil.Validation.Rules.Checks;

/// <summary>Turns a definition into the check that runs it on one batch, or a <see cref="BrokenCheck"/> that says why it cannot.</summary>
internal static class RuleBinder
{
    public static RuleCheck Bind(RuleDefinition rule, TypedTable table, RuleContext context, int parallelism)
    {
        var problems = new List<string>();
        rule.Check(problems);
        if (problems.Count > 0) return new BrokenCheck(rule, $"Invalid rule: {string.Join("; ", problems)}");
        var missing = rule.ReferencedColumns.Where(name => !table.HasColumn(name)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 && rule is not ExpressionRule) return new BrokenCheck(rule, MissingColumns(missing));
        var rows = table.RowCount;
        return rule switch
        {
            NotNullRule r => new NotNullCheck(r, table[r.Column], rows),
            UniqueRule r => new UniqueCheck(r, [.. r.Columns.Select(name => table[name])], rows, parallelism),
            RangeRule r => new RangeCheck(r, table[r.Column], rows),
            PatternRule r => RegexCache.TryGet(r.Regex, out var regex, out var error)
                ? new PatternCheck(r, table[r.Column], regex, rows)
                : new BrokenCheck(r, $"Invalid rule: invalid regex '{r.Regex}': {error}"),
            AllowedValuesRule r => new AllowedValuesCheck(r, table[r.Column], rows),
            MaxLengthRule r => new MaxLengthCheck(r, table[r.Column], rows),
            TypeRule r => new TypeCheck(r, table[r.Column], rows),
            FreshnessRule r => new FreshnessCheck(r, table[r.Column], context.ExecutionDate, rows),
            RowCountRule r => new RowCountCheck(r, rows, context.PreviousRowCount),
            ExpressionRule r => BindExpression(r, table, rows),
            _ => new BrokenCheck(rule, $"Rules of kind {rule.Kind} cannot be evaluated"),
        };
    }

    public static string MissingColumns(IReadOnlyList<string> missing) => missing.Count == 1
        ? $"Column '{missing[0]}' is not in the batch"
        : $"Columns {string.Join(", ", missing.Select(name => $"'{name}'"))} are not in the batch";

    private static RuleCheck BindExpression(ExpressionRule rule, TypedTable table, int rows)
    {
        if (!ExpressionParser.TryParseCached(rule.Expression, out var parsed, out var parseError))
            return new BrokenCheck(rule, $"Invalid rule: {parseError.Message}");
        try
        {
            var root = ExpressionCompiler.Compile(parsed, table, rule.Tolerance);
            return new ExpressionCheck(rule, root, [.. parsed.Columns.Select(name => table[name])], rows);
        }
        catch (RuleDefinitionException e)
        {
            return new BrokenCheck(rule, e.Message);
        }
    }
}
