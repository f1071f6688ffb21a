using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Tabular.Tables;
using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Reports;
using Vigil.Validation.Rules;

namespace Vigil.Validation.Benchmarks;

/// <summary>
/// <c>--e2e validate [--rows N] [--repeat N]</c>: bytes of a transactions CSV -> typed table -> every rule kind, schema
/// profile, DQ score -> defects CSV and JSON summary, as the Validation consumer does it (without the object store).
/// <c>--e2e reconcile [--rows N] [--columns N] [--repeat N]</c>: two wide CSVs -> tables -> reconciliation -> the
/// defects CSV. Prints the wall time of each repeat; the first includes JIT warm-up, as a fresh service would.
/// </summary>
public static class EndToEndRun
{
    public static int Run(string[] args)
    {
        var mode = args.SkipWhile(a => a != "--e2e").Skip(1).FirstOrDefault() ?? "validate";
        var repeat = IntOption(args, "--repeat", 3);
        return mode switch
        {
            "validate" => Validate(IntOption(args, "--rows", 1_000_000), repeat),
            "reconcile" => Reconcile(IntOption(args, "--rows", 600_000), IntOption(args, "--columns", 20), repeat),
            _ => throw new ArgumentException($"Unknown mode '{mode}': validate or reconcile."),
        };
    }

    private static int Validate(int rows, int repeat)
    {
        var data = SyntheticBatches.TransactionsCsv(rows, seed: 42);
        var (dataset, errors) = CompiledDataset.Compile(TransactionsDefinition(), version: 1);
        if (dataset is null) throw new InvalidOperationException(string.Join("; ", errors.SelectMany(e => e.Value)));
        Console.WriteLine($"validate: {rows:N0} rows x 10 columns, raw {data.Length / 1048576.0:0.0} MiB, {dataset.Rules.Count} rules ({dataset.Rules.Select(r => r.Kind).Distinct().Count()} kinds)");

        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            var table = TableReader.Read(new MemoryStream(data, writable: false), TableReader.CsvMediaType);
            var read = clock.Elapsed;
            var outcome = BatchValidation.Run(dataset, table, source: null, acceptedSchema: null, new DateOnly(2026, 1, 1), previousRowCount: rows);
            var validated = clock.Elapsed;
            using var defects = new MemoryStream();
            RuleDefectsCsv.Write(outcome.Rules, table, dataset.Definition.KeyColumns, defects);
            using var summary = new MemoryStream();
            JsonSerializer.Serialize(summary, new { outcome.Quality, outcome.Rules, outcome.Drift, outcome.Schema });
            Console.WriteLine($"  run {i + 1}: {clock.ElapsedMilliseconds} ms (read {read.TotalMilliseconds:0}, validate {(validated - read).TotalMilliseconds:0}, reports {(clock.Elapsed - validated).TotalMilliseconds:0}); " +
                              $"DQ {outcome.Quality.Score}, {outcome.Rules.Results.Count(r => !r.Passed)} rules failed, defects.csv {defects.Length / 1024.0:0} KiB");
        }
        return 0;
    }

    private static int Reconcile(int rows, int columns, int repeat)
    {
        var source = SyntheticBatches.WideCsv(rows, columns, seed: 42);
        var target = Perturb(source);
        var options = new ReconciliationOptions { KeyColumns = ["id"], NumericTolerance = 1e-6 };
        Console.WriteLine($"reconcile: {rows:N0} rows x {columns} columns per side, raw {source.Length / 1048576.0:0.0} + {target.Length / 1048576.0:0.0} MiB");

        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            var sourceTable = TableReader.Read(new MemoryStream(source, writable: false), TableReader.CsvMediaType);
            var targetTable = TableReader.Read(new MemoryStream(target, writable: false), TableReader.CsvMediaType);
            var read = clock.Elapsed;
            var result = ReconciliationEngine.Reconcile(sourceTable, targetTable, options);
            var reconciled = clock.Elapsed;
            using var defects = new MemoryStream();
            ReconciliationDefectsCsv.Write(result, sourceTable, targetTable, options, defects);
            Console.WriteLine($"  run {i + 1}: {clock.ElapsedMilliseconds} ms (read both {read.TotalMilliseconds:0}, reconcile {(reconciled - read).TotalMilliseconds:0}, defects csv {(clock.Elapsed - reconciled).TotalMilliseconds:0}); " +
                              $"missing {result.MissingInTarget}, unexpected {result.UnexpectedInTarget}, changed {result.ChangedRecords}, duplicates {result.DuplicateKeysInTarget}");
        }
        return 0;
    }

    /// <summary>The target side: every 500th row dropped, every 300th row's second field changed, every 1000th row repeated.</summary>
    private static byte[] Perturb(byte[] source)
    {
        var lines = Encoding.UTF8.GetString(source).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var output = new StringBuilder(source.Length + 1024).Append(lines[0]).Append('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (i % 500 == 0) continue;
            var line = lines[i];
            if (i % 300 == 0)
            {
                var fields = line.Split(',');
                fields[1] = fields[1] + "9";
                line = string.Join(',', fields);
            }
            output.Append(line).Append('\n');
            if (i % 1000 == 1) output.Append(line).Append('\n');
        }
        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static DatasetDefinition TransactionsDefinition()
    {
        const string rules = """
            [
              {"kind": "not_null", "column": "account_id"},
              {"kind": "unique", "columns": ["transaction_id"]},
              {"kind": "range", "column": "amount", "min": 0, "max": 1000000},
              {"kind": "pattern", "column": "account_id", "regex": "^[A-Za-z0-9-]+$"},
              {"kind": "allowed_values", "column": "currency", "values": ["EUR", "USD", "GBP", "CHF", "SEK", "JPY"]},
              {"kind": "max_length", "column": "channel", "maxLength": 16},
              {"kind": "type", "column": "merchant_category", "type": "integer"},
              {"kind": "freshness", "column": "booked_at", "maxAgeHours": 43800},
              {"kind": "row_count", "min": 1, "maxChangeRatio": 0.5},
              {"kind": "expression", "expression": "balance_after == balance_before - amount", "tolerance": 0.001}
            ]
            """;
        return new DatasetDefinition
        {
            Name = "bench.transactions",
            KeyColumns = ["transaction_id"],
            Rules = JsonDocument.Parse(rules).RootElement.Clone(),
        };
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
