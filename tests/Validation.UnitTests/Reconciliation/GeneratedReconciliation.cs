using System.Globalization;
using Vigil.Tabular.Tables;
using Vigil.Validation.Reconciliation;

namespace Vigil.Validation.UnitTests.Reconciliation;

/// <summary>
/// A generated source batch and a target batch made from it with a known number of each defect injected into
/// disjoint rows, the target's rows shuffled. Composite key (region, id).
/// </summary>
internal sealed class GeneratedReconciliation
{
    public const int Missing = 37;
    public const int Unexpected = 23;
    public const int DuplicatesInSource = 11;
    public const int DuplicatesInTarget = 13;
    public const int NullKeysInSource = 3;
    public const int NullKeysInTarget = 2;
    public const int AmountsBeyondTolerance = 50;
    public const int AmountsWithinTolerance = 40;
    public const int NamesChanged = 29;
    public const int NotesFilledIn = 7;
    public const int NotesNullOnBothSides = 9;
    public const int QuantitiesNulled = 17;
    public const int StatusesNulled = 5;
    public const int ChangedRecords = AmountsBeyondTolerance + NamesChanged + NotesFilledIn + QuantitiesNulled + StatusesNulled;

    private static readonly string[] SourceHeader = ["region", "id", "amount", "qty", "name", "active", "at", "status", "note", "legacy"];
    private static readonly string[] TargetHeader = ["region", "id", "amount", "qty", "name", "active", "at", "status", "note", "loaded_at"];
    private static readonly string[] Statuses = ["open", "closed", "pending"];

    private GeneratedReconciliation(TypedTable source, TypedTable target, int rows)
    {
        Source = source;
        Target = target;
        Rows = rows;
    }

    public static ReconciliationOptions Options { get; } = new() { KeyColumns = ["region", "id"], NumericTolerance = 1e-6 };

    public TypedTable Source { get; }

    public TypedTable Target { get; }

    /// <summary>Distinct keys in the source.</summary>
    public int Rows { get; }

    public static GeneratedReconciliation Create(int rows, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, rows).ToArray();
        random.Shuffle(order);
        var taken = 0;
        HashSet<int> Take(int count)
        {
            var set = order.Skip(taken).Take(count).ToHashSet();
            taken += count;
            return set;
        }

        var missing = Take(Missing);
        var amountBeyond = Take(AmountsBeyondTolerance);
        var amountWithin = Take(AmountsWithinTolerance);
        var nameChanged = Take(NamesChanged);
        var noteFilled = Take(NotesFilledIn);
        var noteNull = Take(NotesNullOnBothSides);
        var qtyNulled = Take(QuantitiesNulled);
        var statusNulled = Take(StatusesNulled);
        var duplicatedInSource = Take(DuplicatesInSource);
        var duplicatedInTarget = Take(DuplicatesInTarget);

        var source = new List<string?[]>();
        var target = new List<string?[]>();
        var targetDuplicates = new List<string?[]>();
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round(random.NextDouble() * 10_000, 2) + 0.25;
            string?[] row =
            [
                $"R{i % 4}", (i / 4).ToString(CultureInfo.InvariantCulture), Text(amount), (i % 97).ToString(CultureInfo.InvariantCulture),
                $"name-{i}", i % 3 == 0 ? "true" : "false", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("O"),
                Statuses[i % 3], noteFilled.Contains(i) || noteNull.Contains(i) ? null : $"note {i}", "old",
            ];
            source.Add(row);
            if (duplicatedInSource.Contains(i)) source.Add([.. row[..2], Text(amount + 1), .. row[3..]]);
            if (missing.Contains(i)) continue;

            var copy = (string?[])row.Clone();
            copy[9] = "2024-05-01T00:00:00Z";
            if (amountBeyond.Contains(i)) copy[2] = Text(amount + 0.01);
            if (amountWithin.Contains(i)) copy[2] = Text(amount + 1e-8);
            if (nameChanged.Contains(i)) copy[4] += "x";
            if (noteFilled.Contains(i)) copy[8] = "filled";
            if (qtyNulled.Contains(i)) copy[3] = null;
            if (statusNulled.Contains(i)) copy[7] = null;
            target.Add(copy);
            if (duplicatedInTarget.Contains(i)) targetDuplicates.Add([.. copy[..4], "someone else", .. copy[5..]]);
        }

        for (var k = 0; k < Unexpected; k++) target.Add(["R1", (rows + k).ToString(CultureInfo.InvariantCulture), "1.5", "1", "new", "true", "2024-06-01T00:00:00Z", "open", null, "2024-05-01T00:00:00Z"]);
        for (var k = 0; k < NullKeysInSource; k++) source.Add([null, "5", "1.5", "1", "nokey", "true", "2024-06-01T00:00:00Z", "open", null, "old"]);
        for (var k = 0; k < NullKeysInTarget; k++) target.Add(["R2", null, "1.5", "1", "nokey", "true", "2024-06-01T00:00:00Z", "open", null, "2024-05-01T00:00:00Z"]);

        // Shuffled, then the duplicates last so that the row matched for their key is the unaltered one.
        var shuffled = target.ToArray();
        random.Shuffle(shuffled);
        return new(TypedTable.FromRows(SourceHeader, source), TypedTable.FromRows(TargetHeader, [.. shuffled, .. targetDuplicates]), rows);
    }

    public void AssertCounts(ReconciliationResult result)
    {
        Assert.Equal(ColumnType.Categorical, Source["region"].Type);
        Assert.Equal(ColumnType.Categorical, Target["status"].Type);
        Assert.Equal(Source.RowCount, result.SourceRows);
        Assert.Equal(Target.RowCount, result.TargetRows);
        Assert.Equal(Rows - Missing, result.MatchedKeys);
        Assert.Equal(Missing, result.MissingInTarget);
        Assert.Equal(Unexpected, result.UnexpectedInTarget);
        Assert.Equal(DuplicatesInSource, result.DuplicateKeysInSource);
        Assert.Equal(DuplicatesInTarget, result.DuplicateKeysInTarget);
        Assert.Equal(NullKeysInSource, result.NullKeyRowsInSource);
        Assert.Equal(NullKeysInTarget, result.NullKeyRowsInTarget);
        Assert.Equal(
            new Dictionary<string, int> { ["amount"] = AmountsBeyondTolerance, ["qty"] = 0, ["name"] = NamesChanged, ["active"] = 0, ["at"] = 0, ["status"] = 0, ["note"] = NotesFilledIn },
            result.ChangedValuesByColumn);
        Assert.Equal(
            new Dictionary<string, int> { ["amount"] = 0, ["qty"] = QuantitiesNulled, ["name"] = 0, ["active"] = 0, ["at"] = 0, ["status"] = StatusesNulled, ["note"] = 0 },
            result.NullsIntroducedByColumn);
        Assert.Equal(ChangedRecords, result.ChangedRecords);
        Assert.Equal(["legacy"], result.ColumnsOnlyInSource);
        Assert.Equal(["loaded_at"], result.ColumnsOnlyInTarget);
        Assert.Empty(result.TypeMismatches);
        Assert.Equal(100.0 * (Rows - Missing - ChangedRecords) / (Rows + Unexpected), result.ConsistencyScore, 10);
        Assert.Equal(Missing + Unexpected + DuplicatesInSource + DuplicatesInTarget + NullKeysInSource + NullKeysInTarget
            + AmountsBeyondTolerance + NamesChanged + NotesFilledIn + QuantitiesNulled + StatusesNulled, result.DefectCount);
        Assert.False(result.Passed);
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
