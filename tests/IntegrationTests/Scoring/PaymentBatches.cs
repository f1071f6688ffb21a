using System.Globalization;
using System.Text;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Payments with correlated columns (fee is about 2% of amount, amount depends on the customer tier) and known anomalies.</summary>
public static class PaymentBatches
{
    public const string KeyColumn = "payment_id";

    /// <summary>Rows whose amount is 40 times what it should be.</summary>
    public static readonly IReadOnlySet<int> Extreme = new HashSet<int> { 101, 202, 303, 404, 505 };

    /// <summary>Rows whose fee breaks its relation to the amount (each column alone looks ordinary).</summary>
    public static readonly IReadOnlySet<int> CorrelationBroken = new HashSet<int> { 150, 350, 550, 750, 950 };

    public static string Id(int row) => $"p-{row:D5}";

    public static string Csv(int rows, int seed, bool inject)
    {
        var random = new Random(seed);
        string[] tiers = ["basic", "plus", "premium"];
        var text = new StringBuilder($"{KeyColumn},tier,amount,fee,items,channel\n");
        for (var i = 0; i < rows; i++)
        {
            var tier = random.Next(3);
            var amount = Math.Round((50 + 100 * tier) * (0.8 + 0.4 * random.NextDouble()), 2);
            var fee = Math.Round(amount * 0.02 + random.NextDouble() * 0.2, 2);
            var items = 1 + random.Next(5);
            if (inject && Extreme.Contains(i)) amount *= 40;
            if (inject && CorrelationBroken.Contains(i)) fee = Math.Round(amount * 0.2, 2);
            text.Append(CultureInfo.InvariantCulture, $"{Id(i)},{tiers[tier]},{amount},{fee},{items},{(random.Next(2) == 0 ? "web" : "app")}\n");
        }
        return text.ToString();
    }
}
