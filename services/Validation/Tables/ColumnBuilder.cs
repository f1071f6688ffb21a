namespace Vigil.Validation.Tables;

/// <summary>Collects one column's texts, then builds the typed <see cref="Column"/> once every row is in.</summary>
public sealed class ColumnBuilder(string name, TableReadOptions options)
{
    private readonly List<string?> _texts = [];

    public string Name { get; } = name;

    public void Add(string? text) => _texts.Add(text is null || ColumnInference.IsNullText(text, options) ? null : text);

    public Column Build()
    {
        var nulls = _texts.Select(t => t is null).ToArray();
        var present = _texts.Where(t => t is not null).Select(t => t!).ToList();
        var type = ColumnInference.Infer(present, options);
        var n = _texts.Count;
        switch (type)
        {
            case ColumnType.Integer:
                return Column.Integers(Name, [.. _texts.Select(t => t is null ? 0 : Parse<long>(t, ColumnInference.TryParseInteger))], nulls);
            case ColumnType.Decimal:
                return Column.Decimals(Name, [.. _texts.Select(t => t is null ? 0 : Parse<double>(t, ColumnInference.TryParseDecimal))], nulls);
            case ColumnType.Boolean:
                return Column.Booleans(Name, [.. _texts.Select(t => t is not null && Parse<bool>(t, ColumnInference.TryParseBoolean))], nulls);
            case ColumnType.Timestamp:
                return Column.Timestamps(Name, [.. _texts.Select(t => t is null ? 0 : Parse<DateTimeOffset>(t, ColumnInference.TryParseTimestamp).UtcTicks)], nulls);
            case ColumnType.Categorical:
                var dictionary = new Dictionary<string, int>(StringComparer.Ordinal);
                var codes = new int[n];
                for (var i = 0; i < n; i++)
                {
                    if (_texts[i] is not { } text) continue;
                    if (!dictionary.TryGetValue(text, out var code)) dictionary[text] = code = dictionary.Count;
                    codes[i] = code;
                }
                return Column.Categoricals(Name, codes, [.. dictionary.OrderBy(p => p.Value).Select(p => p.Key)], nulls);
            default:
                return Column.Strings(Name, [.. _texts], nulls);
        }
    }

    private delegate bool Parser<T>(ReadOnlySpan<char> text, out T value);

    private static T Parse<T>(string text, Parser<T> parser) => parser(text, out var value) ? value : throw new FormatException(text);
}
