using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// Turns a batch's typed table into a <see cref="FeatureMatrix"/>, the same way at training and at scoring. Fitted
/// once on training data and stored with the model as JSON:
/// <list type="bullet">
/// <item>integer and decimal columns: robust scaling, (x - median) / IQR (standard deviation when the IQR is 0);</item>
/// <item>booleans: 1 / 0;</item>
/// <item>timestamps: sine and cosine of the hour of day and of the day of week (UTC);</item>
/// <item>text with at most <see cref="FeaturePipelineOptions.OneHotMaxCategories"/> distinct values: one-hot of the top
/// <see cref="FeaturePipelineOptions.TopK"/> values plus "(other)", which also takes values unseen in training;</item>
/// <item>text with more distinct values: frequency encoding; id-like text columns are skipped unless included;</item>
/// <item>missing values (null, NaN, ±infinity): imputed (median, share of true, most frequent value, circle centre),
/// with a 0/1 null indicator for columns that had missing values in the training table.</item>
/// </list>
/// A fitted pipeline is immutable and thread-safe. Transform runs in parallel over chunks of rows; the result does not
/// depend on how the work was split.
/// </summary>
public sealed class FeaturePipeline
{
    private const int FormatVersion = 1;

    private readonly Document _document;
    private readonly ColumnEncoder[] _encoders;

    private FeaturePipeline(Document document)
    {
        _document = document;
        _encoders = [.. document.Columns.Select(ColumnEncoder.Create)];

        var sources = new List<FeatureSource>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var encoder in _encoders)
        {
            encoder.Offset = offset;
            offset += encoder.Width;
            foreach (var source in encoder.Describe())
            {
                // Two columns could produce the same name ("a" with value "b" and a column called "a=b"): keep names unique.
                var name = source.Feature;
                for (var n = 2; !names.Add(name); n++) name = $"{source.Feature}#{n}";
                sources.Add(source with { Feature = name });
            }
        }
        if (offset != sources.Count) throw new InvalidOperationException("Encoders described a different number of features than they write.");

        Sources = sources;
        FeatureNames = [.. sources.Select(s => s.Feature)];
        InputColumns = [.. document.Columns.Select(c => c.Column)];
    }

    public FeaturePipelineOptions Options => _document.Options;

    /// <summary>Rows of the table the pipeline was fitted on.</summary>
    public long TrainingRows => _document.TrainingRows;

    /// <summary>The names of the features, in the order of a <see cref="FeatureMatrix"/>'s columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>For each feature (same order as <see cref="FeatureNames"/>), the column it comes from and what it measures.</summary>
    public IReadOnlyList<FeatureSource> Sources { get; }

    /// <summary>The columns a batch must have, in feature order.</summary>
    public IReadOnlyList<string> InputColumns { get; }

    /// <summary>Columns of the training table that are not used, with the reason.</summary>
    public IReadOnlyList<SkippedColumn> SkippedColumns => _document.Skipped;

    public static FeaturePipeline Fit(TypedTable table, FeaturePipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (table.RowCount == 0) throw new FeaturePipelineException("The training table has no rows; a feature pipeline needs at least one.");

        var excluded = new HashSet<string>(options.ExcludeColumns, StringComparer.Ordinal);
        (Column Column, bool Explicit)[] candidates;
        if (options.IncludeColumns is { } included)
        {
            var absent = included.Where(name => !table.HasColumn(name)).ToList();
            if (absent.Count > 0)
                throw new FeaturePipelineException($"IncludeColumns names {Quote(absent)}, which the training table does not have.");
            candidates = [.. included.Distinct(StringComparer.Ordinal).Where(n => !excluded.Contains(n)).Select(n => (table[n], true))];
        }
        else
        {
            candidates = [.. table.Columns.Where(c => !excluded.Contains(c.Name)).Select(c => (c, false))];
        }

        var fitted = new (ColumnSpec? Spec, string? SkipReason)[candidates.Length];
        Parallel.For(0, candidates.Length, i => fitted[i] = ColumnFitter.Fit(candidates[i].Column, options, candidates[i].Explicit));

        var specs = new List<ColumnSpec>();
        var skipped = new List<SkippedColumn>();
        for (var i = 0; i < candidates.Length; i++)
        {
            if (fitted[i].Spec is { } spec) specs.Add(spec);
            else skipped.Add(new SkippedColumn(candidates[i].Column.Name, candidates[i].Column.Type, fitted[i].SkipReason!));
        }
        if (specs.Count == 0)
        {
            var why = skipped.Count == 0 ? "every column is excluded" : string.Join("; ", skipped.Select(s => $"'{s.Column}': {s.Reason}"));
            throw new FeaturePipelineException($"No column of the training table can be a feature ({why}).");
        }
        return new FeaturePipeline(new Document(FormatVersion, options, table.RowCount, specs, skipped));
    }

    /// <summary>
    /// Encodes a batch. Extra columns are ignored; a column the pipeline needs must be present with a compatible type
    /// (numbers for numeric, booleans for boolean, timestamps for time; text encodings take any type; a column whose
    /// values are all missing fits every encoding), else <see cref="FeaturePipelineException"/> names every problem.
    /// </summary>
    public FeatureMatrix Transform(TypedTable table) => Bind(table).Encode(0, table.RowCount);

    /// <summary>
    /// Ties the pipeline to a batch, checking its columns as <see cref="Transform"/> does, so that its rows can be encoded
    /// a range at a time (<see cref="BatchFeatures.Encode"/>) with the same values as the whole batch.
    /// </summary>
    public BatchFeatures Bind(TypedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var bound = new BoundEncoder[_encoders.Length];
        var problems = new List<string>();
        for (var i = 0; i < _encoders.Length; i++)
        {
            var encoder = _encoders[i];
            if (!table.TryGetColumn(encoder.Column, out var column))
                problems.Add($"Column '{encoder.Column}' is missing from the batch; the model was trained with it.");
            else if (column.NullCount != column.Length && !encoder.Accepts(column.Type))
                problems.Add($"Column '{encoder.Column}' is {column.Type.ToString().ToLowerInvariant()} in the batch, but the model was trained with it as {encoder.Expected}.");
            else
                bound[i] = encoder.Bind(column);
        }
        if (problems.Count > 0) throw new FeaturePipelineException(string.Join(" ", problems));
        return new BatchFeatures(bound, [.. _encoders.Select(e => (e.Offset, e.Width))], table.RowCount, FeatureNames);
    }

    /// <summary>The fitted pipeline as JSON; <see cref="FromJson"/> of it transforms identically and writes the same JSON.</summary>
    public string ToJson() => ModelJson.Write(_document);

    /// <summary>Reads a pipeline written by <see cref="ToJson"/>; a damaged or foreign document is an <see cref="InvalidDataException"/>.</summary>
    public static FeaturePipeline FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "feature pipeline", FormatVersion, d => d.Version);
        if (document.Columns.Count == 0) throw new InvalidDataException("The stored feature pipeline has no columns.");
        try
        {
            document.Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The stored feature pipeline's options are invalid: {e.Message}", e);
        }
        foreach (var spec in document.Columns) spec.Validate();
        return new FeaturePipeline(document);
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>The stored form.</summary>
    private sealed record Document(
        int Version,
        FeaturePipelineOptions Options,
        long TrainingRows,
        IReadOnlyList<ColumnSpec> Columns,
        IReadOnlyList<SkippedColumn> Skipped);
}
