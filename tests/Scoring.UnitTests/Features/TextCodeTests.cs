using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Features;

/// <summary>
/// Text kept as codes (<see cref="Column.TryGetCodes"/>: a Categorical column, or a String column whose values repeat)
/// is counted and encoded once per distinct value; the pipeline it fits and the features it gives are those of the same
/// texts stored one by one.
/// </summary>
public sealed class TextCodeTests
{
    private static readonly string[] Names = ["channel", "merchant"];

    /// <summary>Few enough frequent values that the "(other)" value and unseen values are encoded too.</summary>
    private static readonly FeaturePipelineOptions Options = new() { FrequencyMaxValues = 100 };

    [Fact]
    public void Coded_texts_fit_the_pipeline_and_give_the_features_of_the_same_texts_stored_one_by_one()
    {
        var training = Rows(4_000, seed: 1, unseen: false);
        var batch = Rows(3_000, seed: 2, unseen: true);
        var coded = TypedTable.FromRows(Names, training);
        Assert.Equal(ColumnType.Categorical, coded["channel"].Type);
        Assert.Equal(ColumnType.String, coded["merchant"].Type);
        Assert.True(coded["merchant"].TryGetCodes(out _, out _), "repeating texts are kept as codes");
        Assert.False(OneByOne(training)["merchant"].TryGetCodes(out _, out _));

        var fromTexts = FeaturePipeline.Fit(OneByOne(training), Options);
        var fromCodes = FeaturePipeline.Fit(coded, Options);

        Assert.Equal(fromTexts.FeatureNames, fromCodes.FeatureNames);
        Assert.Contains("merchant:frequency", fromCodes.FeatureNames);
        Assert.Equal(FeaturePipeline.Fit(OneByOne(training), Options with { ExcludeColumns = ["channel"] }).ToJson(),
            FeaturePipeline.Fit(coded, Options with { ExcludeColumns = ["channel"] }).ToJson());
        var expected = fromTexts.Transform(OneByOne(batch)).Values;
        Assert.Equal(expected, fromTexts.Transform(TypedTable.FromRows(Names, batch)).Values);
        Assert.Equal(expected, fromCodes.Transform(OneByOne(batch)).Values);
        Assert.Equal(expected, fromCodes.Transform(WithRepeatedCategories(batch)).Values);
    }

    [Fact]
    public void A_categorical_column_whose_values_repeat_a_text_counts_the_text_once()
    {
        var training = Rows(2_000, seed: 3, unseen: false);

        var repeated = FeaturePipeline.Fit(WithRepeatedCategories(training), Options with { ExcludeColumns = ["merchant"] });
        var plain = FeaturePipeline.Fit(TypedTable.FromRows(Names, training), Options with { ExcludeColumns = ["merchant"] });

        Assert.Equal(plain.ToJson(), repeated.ToJson());
        Assert.Equal(plain.Transform(OneByOne(training)).Values, repeated.Transform(WithRepeatedCategories(training)).Values);
    }

    /// <summary>A channel of six values and a merchant of 400 (skewed), each sometimes missing; unseen values in a later batch.</summary>
    private static List<string?[]> Rows(int count, int seed, bool unseen)
    {
        var random = new Random(seed);
        string[] channels = ["web", "pos", "atm", "phone", "branch", "mail"];
        return [.. Enumerable.Range(0, count).Select(_ => new[]
        {
            random.NextDouble() < 0.05 ? null : unseen && random.NextDouble() < 0.02 ? "kiosk" : channels[(int)(channels.Length * Math.Pow(random.NextDouble(), 2))],
            random.NextDouble() < 0.03 ? null : unseen && random.NextDouble() < 0.05 ? $"new-{random.Next(50)}" : $"m{(int)(400 * Math.Pow(random.NextDouble(), 3))}",
        })];
    }

    /// <summary>The texts stored one by one (no codes).</summary>
    private static TypedTable OneByOne(List<string?[]> rows) => new(
        [.. Names.Select((name, c) => Column.Strings(name, [.. rows.Select(r => r[c] ?? "")], [.. rows.Select(r => r[c] is null)]))], rows.Count);

    /// <summary>Categorical columns whose values hold each text twice (rows alternate between the two codes) and one no row uses.</summary>
    private static TypedTable WithRepeatedCategories(List<string?[]> rows) => new([.. Names.Select((name, c) =>
    {
        var texts = rows.Select(r => r[c]).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        string[] categories = ["never used", .. texts, .. texts];
        var codes = rows.Select((r, i) => r[c] is { } text ? 1 + texts.IndexOf(text) + (i % 2) * texts.Count : 0).ToArray();
        return Column.Categoricals(name, codes, categories, [.. rows.Select(r => r[c] is null)]);
    })], rows.Count);
}
