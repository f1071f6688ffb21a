using System.Globalization;
using System.Text;

namespace Vigil.IntegrationTests.Validation;

/// <summary>
/// A generated transactions batch with a known number of injected defects per rule, so tests can assert exact counts.
/// Each defect is injected on its own rows: no row carries two defects.
/// </summary>
internal static class DefectiveBatch
{
    public const int Rows = 200;
    public static readonly DateOnly ExecutionDate = new(2026, 11, 20);

    // rows (0-based) carrying each defect
    public static readonly int[] NullAccount = [3, 50, 120];
    public static readonly int[] DuplicateIdOfPrevious = [10, 90];
    public static readonly int[] AmountOutOfRange = [20, 60, 140, 180];
    public static readonly int[] BadEmail = [25, 65, 105, 145, 185];
    public static readonly int[] UnknownCurrency = [30, 70, 110];
    public static readonly int[] LongNote = [35, 75];
    public static readonly int[] NonIntegerMerchant = [40, 80];
    public static readonly int[] StaleBooking = [45, 85, 125];
    public static readonly int[] BrokenBalance = [55, 95, 135, 175];

    public const string Header = "transaction_id,account_id,amount,balance_before,balance_after,currency,booked_at,email,note,merchant_code";

    public static string Csv()
    {
        var text = new StringBuilder(Header).Append('\n');
        string[] currencies = ["EUR", "USD", "GBP"];
        for (var i = 0; i < Rows; i++)
        {
            var id = DuplicateIdOfPrevious.Contains(i) ? $"t-{i - 1:D4}" : $"t-{i:D4}";
            var account = NullAccount.Contains(i) ? "" : $"a-{i % 17}";
            var amount = AmountOutOfRange.Contains(i) ? (i % 2 == 0 ? -5m : 20000m) : 10m + i % 50;
            var before = 1000m + i;
            var after = BrokenBalance.Contains(i) ? before - amount + 3m : before - amount;
            var currency = UnknownCurrency.Contains(i) ? "XXX" : currencies[i % 3];
            var booked = StaleBooking.Contains(i) ? "2026-11-01T08:00:00Z" : $"2026-11-20T{i % 24:D2}:15:00Z";
            var email = BadEmail.Contains(i) ? "not-an-email" : $"user{i}@example.com";
            var note = LongNote.Contains(i) ? "this note is far longer than twenty characters" : $"n{i}";
            var merchant = NonIntegerMerchant.Contains(i) ? "abc" : (5000 + i % 7).ToString(CultureInfo.InvariantCulture);
            text.Append(string.Join(',', id, account, Num(amount), Num(before), Num(after), currency, booked, email, note, merchant)).Append('\n');
        }
        return text.ToString();
    }

    public static object Definition(string driftPolicy = "warn") => new
    {
        keyColumns = new[] { "transaction_id" },
        driftPolicy,
        rules = new object[]
        {
            new { name = "account_present", kind = "not_null", column = "account_id" },
            new { name = "id_unique", kind = "unique", columns = new[] { "transaction_id" } },
            new { name = "amount_range", kind = "range", column = "amount", min = 0, max = 10000 },
            new { name = "email_format", kind = "pattern", column = "email", regex = @"^[^@\s]+@[^@\s]+\.[a-z]+$" },
            new { name = "currency_known", kind = "allowed_values", column = "currency", values = new[] { "EUR", "USD", "GBP" } },
            new { name = "note_short", kind = "max_length", column = "note", maxLength = 20 },
            new { name = "merchant_integer", kind = "type", column = "merchant_code", type = "integer" },
            new { name = "booked_recently", kind = "freshness", column = "booked_at", maxAgeHours = 72 },
            new { name = "enough_rows", kind = "row_count", min = 100, max = 1000 },
            new { name = "too_many_rows_expected", kind = "row_count", min = 500 },
            new { name = "balance_consistent", kind = "expression", expression = "balance_after == balance_before - amount", tolerance = 0.01 },
        },
    };

    /// <summary>Failing rows each rule must report.</summary>
    public static readonly IReadOnlyDictionary<string, int> ExpectedFailures = new Dictionary<string, int>
    {
        ["account_present"] = NullAccount.Length,
        ["id_unique"] = DuplicateIdOfPrevious.Length,
        ["amount_range"] = AmountOutOfRange.Length,
        ["email_format"] = BadEmail.Length,
        ["currency_known"] = UnknownCurrency.Length,
        ["note_short"] = LongNote.Length,
        ["merchant_integer"] = NonIntegerMerchant.Length,
        ["booked_recently"] = StaleBooking.Length,
        ["balance_consistent"] = BrokenBalance.Length,
    };

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
