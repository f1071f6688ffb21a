using System.Globalization;
using Vigil.Tabular.Tables;
using Vigil.Validation.Rules;

namespace Vigil.Validation.UnitTests.Rules;

/// <summary>
/// A generated 1,000-row transactions batch with known defects injected at known rows (zero-based row indexes here;
/// reports use one-based data rows). Every other value is clean, and boundary values that must pass are placed too.
/// </summary>
internal static class DefectTable
{
    public const int Rows = 1000;
    public static readonly DateOnly ExecutionDate = new(2024, 5, 1);

    public static readonly int[] DuplicateIds = [100, 500, 900];           // txn_id repeats the row 50 earlier
    public static readonly int[] NullCustomers = [3, 30, 300, 999];
    public static readonly int[] BadAccounts = [7, 70, 700, 701];
    public static readonly int[] AmountsOutOfRange = [11, 22, 33, 44, 55];  // range [0, 10000]
    public static readonly int[] BadCurrencies = [5, 50];
    public static readonly int[] BrokenBalances = [13, 130, 260, 390, 520, 650];
    public const int BalanceWithinTolerance = 14;
    public const int BalanceBeforeNull = 15;
    public static readonly int[] StaleBookings = [2, 20, 200, 400, 600, 800, 998];
    public static readonly int[] FutureBookings = [444];
    public static readonly int[] LongNotes = [9, 99];
    public static readonly int[] NonIntegerQuantities = [17, 170, 171];

    public static readonly string[] Columns =
        ["txn_id", "customer", "account", "amount", "currency", "balance_before", "balance_after", "booked_at", "note", "qty"];

    public static TypedTable Build() => TypedTable.FromRows(Columns, Enumerable.Range(0, Rows).Select(Row));

    public static RuleContext Context(long? previousRowCount = null) =>
        new() { ExecutionDate = ExecutionDate, KeyColumns = ["txn_id"], PreviousRowCount = previousRowCount };

    /// <summary>One rule of each kind, each aimed at one injected defect.</summary>
    public const string RulesJson = """
        [
          { "kind": "unique", "columns": ["txn_id"] },
          { "kind": "not_null", "column": "customer" },
          { "name": "account_format", "kind": "pattern", "column": "account", "regex": "^ACC-\\d{4}$" },
          { "name": "amount_range", "kind": "range", "column": "amount", "min": 0, "max": 10000 },
          { "kind": "allowed_values", "column": "currency", "values": ["EUR", "USD", "GBP"] },
          { "kind": "max_length", "column": "note", "maxLength": 20 },
          { "kind": "type", "column": "qty", "type": "integer" },
          { "kind": "freshness", "column": "booked_at", "maxAgeHours": 48 },
          { "kind": "row_count", "min": 500, "maxChangeRatio": 0.1 },
          { "name": "balance", "kind": "expression", "expression": "balance_after == balance_before - amount", "tolerance": 0.01, "severity": "warning" }
        ]
        """;

    private static string?[] Row(int i)
    {
        var txnId = DuplicateIds.Contains(i) ? i - 50 + 1 : i + 1;
        string? customer = NullCustomers.Contains(i) ? null : $"C{i % 37}";
        var account = Array.IndexOf(BadAccounts, i) switch
        {
            0 => "acc-0007",
            1 => "ACC-70",
            2 => "ACCX0700",
            3 => "ACC-0701a",
            _ => $"ACC-{i:D4}",
        };
        var amount = Array.IndexOf(AmountsOutOfRange, i) switch
        {
            0 => -5,
            1 => 10001,
            2 => -0.01,
            3 => 20000,
            4 => 10000.5,
            _ => i switch { 66 => 10000, 77 => 0, _ => 10 + i % 500 + 0.25 },
        };
        var currency = Array.IndexOf(BadCurrencies, i) switch { 0 => "XXX", 1 => "eur", _ => new[] { "EUR", "USD", "GBP" }[i % 3] };
        var before = 1000 + i;
        var after = before - amount + (BrokenBalances.Contains(i) ? 1 : i == BalanceWithinTolerance ? 0.005 : 0);
        var booked = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i % 1440);
        if (StaleBookings.Contains(i)) booked = new DateTimeOffset(2024, 4, 29, 23, 59, 59, TimeSpan.Zero);
        if (FutureBookings.Contains(i)) booked = new DateTimeOffset(2024, 5, 2, 0, 0, 1, TimeSpan.Zero);
        if (i == 1) booked = new DateTimeOffset(2024, 4, 30, 0, 0, 0, TimeSpan.Zero);  // window start: passes
        if (i == 8) booked = new DateTimeOffset(2024, 5, 2, 0, 0, 0, TimeSpan.Zero);   // window end: passes
        var note = Array.IndexOf(LongNotes, i) switch
        {
            0 => new string('x', 21),
            1 => new string('é', 25),
            _ => i == 19 ? string.Concat(Enumerable.Repeat("😀", 20)) : $"note {i}",  // 20 characters in 40 UTF-16 units: passes
        };
        var qty = Array.IndexOf(NonIntegerQuantities, i) switch { 0 => "abc", 1 => "1.5", 2 => "two", _ => (i % 7).ToString(CultureInfo.InvariantCulture) };
        return
        [
            txnId.ToString(CultureInfo.InvariantCulture), customer, account, amount.ToString("R", CultureInfo.InvariantCulture), currency,
            i == BalanceBeforeNull ? null : before.ToString(CultureInfo.InvariantCulture), after.ToString("R", CultureInfo.InvariantCulture),
            booked.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), note, qty,
        ];
    }
}
