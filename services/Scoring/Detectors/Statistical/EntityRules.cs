using System.Globalization;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>
/// Rules about entities on the raw batch, fitted per entity on training data:
/// <list type="bullet">
/// <item><c>amount_multiple</c>: |amount| above <see cref="EntityRuleOptions.AmountMultiple"/> x the entity's mean |amount| in training;</item>
/// <item><c>velocity</c>: the record is past the <see cref="EntityRuleOptions.MaxRecordsPerWindow"/>-th of its entity within
/// <see cref="EntityRuleOptions.Window"/> (up to and including its own time), or within the batch when there is no timestamp column;</item>
/// <item><c>first_seen_high_amount</c>: an entity absent from training with |amount| above the training
/// <see cref="EntityRuleOptions.FirstSeenAmountQuantile"/> of |amount|.</item>
/// </list>
/// Each hit has a severity in [0.5, 1] (0.5 just past the limit, 1 at ten times the amount limit or twice the record
/// limit); a row's rule score is 1 - Π(1 - severity) over its hits, 0 when none fired. Rows without an entity are not
/// judged; rows without an amount are judged by velocity only. Velocity looks at the batch alone, not at earlier batches.
/// </summary>
public sealed class EntityRules
{
    public const string AmountMultipleRule = "amount_multiple";
    public const string VelocityRule = "velocity";
    public const string FirstSeenHighAmountRule = "first_seen_high_amount";

    private const int FormatVersion = 1;

    private readonly Document _document;
    private readonly Dictionary<string, int> _index;

    private EntityRules(Document document)
    {
        _document = document;
        _index = new Dictionary<string, int>(document.Entities.Count, StringComparer.Ordinal);
        for (var i = 0; i < document.Entities.Count; i++) _index.Add(document.Entities[i], i);
    }

    public EntityRuleOptions Options => _document.Options;

    /// <summary>Distinct entities seen in training.</summary>
    public int EntityCount => _document.Entities.Count;

    /// <summary>The |amount| above which an entity unseen in training fires first_seen_high_amount.</summary>
    public double FirstSeenAmountThreshold => _document.FirstSeenAmountThreshold;

    public bool TryGetProfile(string entity, out EntityProfile profile)
    {
        if (_index.TryGetValue(entity, out var i))
        {
            profile = new EntityProfile(_document.Records[i], _document.AmountRecords[i], _document.MeanAbsoluteAmounts[i]);
            return true;
        }
        profile = null!;
        return false;
    }

    /// <summary>Learns each entity's record count and mean |amount|, and the first-seen amount threshold, from training rows.</summary>
    public static EntityRules Fit(TypedTable training, EntityRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (entities, amounts, _) = Columns(training, options, "training table");

        var stats = new Dictionary<string, (long Records, long AmountRecords, double Sum)>(StringComparer.Ordinal);
        var lookup = stats.GetAlternateLookup<ReadOnlySpan<char>>();
        var magnitudes = new List<double>(training.RowCount);
        for (var row = 0; row < training.RowCount; row++)
        {
            if (entities.IsNull(row)) continue;
            var amount = Magnitude(amounts, row);
            var key = KeySpan(entities, row);
            lookup.TryGetValue(key, out var s);
            s.Records++;
            if (!double.IsNaN(amount))
            {
                s.AmountRecords++;
                s.Sum += amount;
                magnitudes.Add(amount);
            }
            lookup[key] = s;
        }
        if (magnitudes.Count == 0)
            throw new ArgumentException($"The training table has no row with both an entity ('{options.EntityColumn}') and an amount ('{options.AmountColumn}').", nameof(training));

        var threshold = Quantiles.OfUnsorted(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(magnitudes), options.FirstSeenAmountQuantile);
        var names = stats.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var records = new long[names.Length];
        var amountRecords = new long[names.Length];
        var means = new double[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var s = stats[names[i]];
            (records[i], amountRecords[i], means[i]) = (s.Records, s.AmountRecords, s.AmountRecords > 0 ? s.Sum / s.AmountRecords : 0);
        }
        return new EntityRules(new Document(FormatVersion, options, training.RowCount, threshold, names, records, amountRecords, means));
    }

    /// <summary>
    /// Judges a batch's rows. A batch without the entity or amount column (or the timestamp column, when configured),
    /// or with one of an incompatible type, is refused with a <see cref="FeaturePipelineException"/> naming them, as
    /// the feature pipeline refuses a batch that does not match its model.
    /// </summary>
    public EntityRuleResult Evaluate(TypedTable batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var options = Options;
        var (entities, amounts, timestamps) = Columns(batch, options, "batch");
        var rows = batch.RowCount;
        var amountDetail = new string?[rows];
        var firstSeenDetail = new string?[rows];
        var velocityDetail = new string?[rows];
        var severities = new double[rows * 3];

        // Entity of each row as an index into this batch's distinct entities, and into training (-1: unseen).
        var group = new int[rows];
        var groupKeys = new List<string>();
        var groupTraining = new List<int>();
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupLookup = groups.GetAlternateLookup<ReadOnlySpan<char>>();
        var trainingLookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var row = 0; row < rows; row++)
        {
            if (entities.IsNull(row))
            {
                group[row] = -1;
                continue;
            }
            var key = KeySpan(entities, row);
            if (!groupLookup.TryGetValue(key, out var g))
            {
                g = groupKeys.Count;
                var text = key.ToString();
                groupKeys.Add(text);
                groupTraining.Add(trainingLookup.TryGetValue(key, out var t) ? t : -1);
                groups.Add(text, g);
            }
            group[row] = g;
        }

        for (var row = 0; row < rows; row++)
        {
            if (group[row] < 0) continue;
            var amount = Magnitude(amounts, row);
            if (double.IsNaN(amount)) continue;
            var entity = groupKeys[group[row]];
            var known = groupTraining[group[row]];
            if (known >= 0)
            {
                if (_document.AmountRecords[known] == 0) continue;
                var mean = _document.MeanAbsoluteAmounts[known];
                var limit = options.AmountMultiple * mean;
                if (amount <= limit) continue;
                severities[row * 3] = mean > 0 ? Severity(amount / limit) : 1;
                amountDetail[row] = mean > 0
                    ? Invariant($"|amount| {amount:G6} is {amount / mean:0.#}x entity '{entity}''s training average {mean:G6} (limit {options.AmountMultiple:G6}x)")
                    : Invariant($"|amount| {amount:G6} is above entity '{entity}''s training average of 0");
            }
            else if (amount > _document.FirstSeenAmountThreshold)
            {
                var threshold = _document.FirstSeenAmountThreshold;
                severities[row * 3 + 2] = threshold > 0 ? Severity(amount / threshold) : 1;
                firstSeenDetail[row] = Invariant($"entity '{entity}' was not seen in training and its |amount| {amount:G6} is above the training {options.FirstSeenAmountQuantile:0.###} quantile {threshold:G6}");
            }
        }

        Velocity(group, groupKeys, timestamps, velocityDetail, severities);

        var flags = new bool[rows];
        var scores = new float[rows];
        var hits = new List<EntityRuleHit>();
        for (var row = 0; row < rows; row++)
        {
            if (amountDetail[row] is { } a) hits.Add(new EntityRuleHit(row, AmountMultipleRule, a));
            if (velocityDetail[row] is { } v) hits.Add(new EntityRuleHit(row, VelocityRule, v));
            if (firstSeenDetail[row] is { } f) hits.Add(new EntityRuleHit(row, FirstSeenHighAmountRule, f));
            var clear = (1 - severities[row * 3]) * (1 - severities[row * 3 + 1]) * (1 - severities[row * 3 + 2]);
            scores[row] = (float)(1 - clear);
            flags[row] = amountDetail[row] is not null || velocityDetail[row] is not null || firstSeenDetail[row] is not null;
        }
        return new EntityRuleResult(flags, scores, hits);
    }

    /// <summary>Counts each entity's records in the trailing window (or in the batch) and marks those past the limit.</summary>
    private void Velocity(int[] group, List<string> groupKeys, Column? timestamps, string?[] details, double[] severities)
    {
        var options = Options;
        var limit = options.MaxRecordsPerWindow;
        var order = new List<(int Group, long Ticks, int Row)>(group.Length);
        for (var row = 0; row < group.Length; row++)
        {
            if (group[row] < 0) continue;
            if (timestamps is null) order.Add((group[row], 0, row));
            else if (!timestamps.IsNull(row)) order.Add((group[row], timestamps.Int64Values[row], row));
        }
        order.Sort();

        var windowTicks = options.Window.Ticks;
        var first = 0;
        for (var i = 0; i < order.Count; i++)
        {
            var (g, ticks, row) = order[i];
            if (i == 0 || order[i - 1].Group != g) first = i;
            var from = first;
            if (timestamps is not null)
            {
                // The window ends at this record and reaches back Window (exclusive): records at exactly t - Window are out.
                while (order[from].Ticks <= ticks - windowTicks) from++;
                first = from;
            }
            var count = i - from + 1;
            if (count <= limit) continue;
            severities[row * 3 + 1] = Math.Min(1, 0.5 + 0.5 * (count - limit) / limit);
            details[row] = timestamps is null
                ? Invariant($"entity '{groupKeys[g]}' has {count} records in the batch up to this one (limit {limit})")
                : Invariant($"entity '{groupKeys[g]}' has {count} records within {options.Window} up to this one (limit {limit})");
        }
    }

    /// <summary>0.5 just past a limit, rising with the log of how far past it, 1 at ten times the limit.</summary>
    private static double Severity(double timesLimit) => Math.Clamp(0.5 + 0.5 * Math.Log10(timesLimit), 0.5, 1);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double Magnitude(Column amounts, int row)
    {
        if (amounts.IsNull(row)) return double.NaN;
        var value = amounts.GetDouble(row);
        return double.IsFinite(value) ? Math.Abs(value) : double.NaN;
    }

    private static ReadOnlySpan<char> KeySpan(Column entities, int row) =>
        entities.Type is ColumnType.String or ColumnType.Categorical ? entities.GetStringSpan(row) : entities.GetText(row);

    private static (Column Entities, Column Amounts, Column? Timestamps) Columns(TypedTable table, EntityRuleOptions options, string what)
    {
        var problems = new List<string>();
        if (!table.TryGetColumn(options.EntityColumn, out var entities))
            problems.Add($"Column '{options.EntityColumn}' (the entity) is missing from the {what}.");
        if (!table.TryGetColumn(options.AmountColumn, out var amounts))
            problems.Add($"Column '{options.AmountColumn}' (the amount) is missing from the {what}.");
        else if (!amounts.IsNumeric && amounts.NullCount != amounts.Length)
            problems.Add($"Column '{options.AmountColumn}' (the amount) is {Describe(amounts)} in the {what}, not a number.");
        Column? timestamps = null;
        if (options.TimestampColumn is { } name)
        {
            if (!table.TryGetColumn(name, out timestamps))
                problems.Add($"Column '{name}' (the timestamp) is missing from the {what}.");
            else if (timestamps.Type != ColumnType.Timestamp && timestamps.NullCount != timestamps.Length)
                problems.Add($"Column '{name}' (the timestamp) is {Describe(timestamps)} in the {what}, not a timestamp.");
        }
        if (problems.Count > 0) throw new FeaturePipelineException(string.Join(" ", problems));
        // A column with no values at all may have been inferred as text: its rows are null, and null rows are never read.
        return (entities, amounts, timestamps);
    }

    private static string Describe(Column column) => column.Type.ToString().ToLowerInvariant();

    public string ToJson() => ModelJson.Write(_document);

    public static EntityRules FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "entity rules", FormatVersion, d => d.Version);
        var n = document.Entities.Count;
        if (document.Records.Count != n || document.AmountRecords.Count != n || document.MeanAbsoluteAmounts.Count != n)
            throw new InvalidDataException("The stored entity rules have entity lists of different lengths.");
        if (!double.IsFinite(document.FirstSeenAmountThreshold) || document.MeanAbsoluteAmounts.Any(m => !double.IsFinite(m) || m < 0))
            throw new InvalidDataException("The stored entity rules have a threshold or an entity average that is not a finite non-negative number.");
        if (document.Entities.Distinct(StringComparer.Ordinal).Count() != n)
            throw new InvalidDataException("The stored entity rules list an entity twice.");
        try
        {
            document.Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The stored entity rules' options are invalid: {e.Message}", e);
        }
        return new EntityRules(document);
    }

    private sealed record Document(
        int Version,
        EntityRuleOptions Options,
        long TrainingRows,
        double FirstSeenAmountThreshold,
        IReadOnlyList<string> Entities,
        IReadOnlyList<long> Records,
        IReadOnlyList<long> AmountRecords,
        IReadOnlyList<double> MeanAbsoluteAmounts);
}
