using System.Globalization;
using System.Text;

namespace Vigil.Scoring.Benchmarks;

/// <summary>A generated batch: CSV bytes (with a 0/1 <see cref="SeedDatasets.LabelColumn"/>) and the true anomaly labels by row.</summary>
public sealed record SeedDataset(string Name, byte[] Csv, bool[] Labels, IReadOnlyList<string> KeyColumns, int Columns)
{
    public int Rows => Labels.Length;

    public int Anomalies => Labels.Count(l => l);

    /// <summary>Per row, the kind of anomaly injected there (null for a normal row), for recall per kind.</summary>
    public IReadOnlyList<string?> Kinds { get; init; } = [];
}

/// <summary>
/// Deterministic generators for the three seed datasets: the same scale and seed give the same bytes on every machine.
/// Normal rows follow correlated, realistic distributions; injected anomalies mostly stay within each column's normal
/// range and break a correlation instead (a balance that does not add up, an amount ordinary overall but not for the
/// account), with a few gross ones. Anomalies are placed at random rows.
/// </summary>
public static class SeedDatasets
{
    public const string LabelColumn = "label";

    public const int BankingRows = 600_000;
    public const int InsuranceRows = 1_000_000;
    public const int SalesRows = 200_000;

    public static IReadOnlyList<string> Names { get; } = ["banking", "insurance", "sales"];

    public static SeedDataset Generate(string name, double scale, int seed) => name switch
    {
        "banking" => Banking(Scaled(BankingRows, scale), seed),
        "insurance" => Insurance(Scaled(InsuranceRows, scale), seed),
        "sales" => Sales(Scaled(SalesRows, scale), seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a seed dataset."),
    };

    private static int Scaled(int rows, double scale) => Math.Max(1_000, (int)Math.Round(rows * scale));

    // ---- Banking: transactions, 20 columns, ~1% anomalies -------------------------------------------------------

    private static readonly string[] Countries = ["DE", "FR", "NL", "ES", "IT", "GB", "US", "CH", "SE", "PL"];
    private static readonly string[] CountryCurrencies = ["EUR", "EUR", "EUR", "EUR", "EUR", "GBP", "USD", "CHF", "SEK", "PLN"];
    private static readonly double[] HomeCountryWeights = [30, 20, 12, 10, 10, 8, 4, 2, 2, 2];

    private sealed record Merchant(string Category, double AmountFactor, double[] ChannelWeights); // pos, online, mobile, atm

    private static readonly string[] BankChannels = ["pos", "online", "mobile", "atm"];

    private static readonly Merchant[] Merchants =
    [
        new("grocery", 0.6, [85, 5, 10, 0]),
        new("restaurant", 0.5, [80, 5, 15, 0]),
        new("fuel", 0.9, [95, 0, 5, 0]),
        new("retail", 1.2, [55, 30, 15, 0]),
        new("electronics", 3.0, [30, 55, 15, 0]),
        new("travel", 4.0, [10, 70, 20, 0]),
        new("utilities", 1.5, [0, 70, 30, 0]),
        new("entertainment", 0.7, [40, 35, 25, 0]),
        new("health", 1.0, [70, 20, 10, 0]),
        new("cash_withdrawal", 1.5, [0, 0, 0, 100]),
    ];

    private static readonly double[] MerchantWeights = [22, 14, 8, 14, 4, 3, 6, 8, 6, 15];

    private sealed class Account
    {
        public required string Id { get; init; }
        public required int Age { get; init; }
        public required int TenureMonths { get; init; }
        public required double AverageAmount { get; init; }
        public required int Home { get; init; }
        public required double Activity { get; init; }
        public required double Balance { get; set; }
    }

    public static SeedDataset Banking(int rows, int seed)
    {
        var random = new Random(seed);
        var anomalies = PickAnomalies(random, rows, (int)Math.Round(rows * 0.01));
        var kinds = new string?[rows];
        var accounts = Enumerable.Range(0, Math.Max(100, rows / 60)).Select(i =>
        {
            var age = random.Next(18, 86);
            return new Account
            {
                Id = $"ACC{seed:D2}{i:D7}",
                Age = age,
                TenureMonths = random.Next(1, Math.Max(2, (age - 17) * 12)),
                // Typical spend grows with age up to retirement; each account has its own level.
                AverageAmount = Math.Round(LogNormal(random, Math.Log(25 + Math.Min(age, 65) * 0.8), 0.6), 2),
                Home = Pick(random, HomeCountryWeights),
                Activity = LogNormal(random, Math.Log(3), 0.5),
                Balance = LogNormal(random, Math.Log(2500), 0.8),
            };
        }).ToArray();

        var csv = new CsvBuilder(rows, 150,
            "transaction_id,account_id,customer_age,account_tenure_months,account_avg_amount,amount,balance_before,balance_after," +
            "merchant_category,channel,device_type,hour,day_of_week,country,home_country,is_foreign,currency,distance_from_home_km,txn_count_24h,label");
        for (var row = 0; row < rows; row++)
        {
            var account = accounts[random.Next(accounts.Length)];
            var merchant = Merchants[Pick(random, MerchantWeights)];
            var channel = Pick(random, merchant.ChannelWeights);
            var amount = LogNormal(random, Math.Log(account.AverageAmount * merchant.AmountFactor), 0.45);
            if (channel == 3) amount = Math.Max(20, Math.Round(amount / 20) * 20);
            amount = Math.Round(amount, 2);
            var hour = channel == 1 ? (int)Math.Clamp(Math.Round(Gaussian(random, 16, 5)), 0, 23) : (int)Math.Clamp(Math.Round(Gaussian(random, 14, 3.5)), 6, 23);
            var foreign = random.NextDouble() < (merchant.Category == "travel" ? 0.4 : 0.04);
            var country = foreign ? OtherCountry(random, account.Home) : account.Home;
            var distance = foreign ? random.Next(300, 9000) + random.NextDouble() : Math.Round(-Math.Log(1 - random.NextDouble()) * 6, 1);
            var count24h = 1 + Poisson(random, account.Activity);
            var device = DeviceFor(random, channel);

            // Salary or a transfer tops the account up before it runs dry.
            if (account.Balance < amount * 1.5 + 50) account.Balance += Math.Round(LogNormal(random, Math.Log(2500), 0.4), 2);
            var before = Math.Round(account.Balance, 2);
            var after = Math.Round(before - amount, 2);

            var label = anomalies.Contains(row);
            if (label)
            {
                switch (random.Next(6))
                {
                    case 0: // Balance does not add up, by a few cents to a few tens.
                        kinds[row] = "balance_mismatch";
                        after = Math.Round(after + (random.Next(2) == 0 ? -1 : 1) * (0.5 + random.NextDouble() * 25), 2);
                        break;
                    case 1: // Ordinary amount overall, but far beyond what this account spends.
                        kinds[row] = "amount_vs_account";
                        amount = Math.Round(account.AverageAmount * (8 + random.NextDouble() * 7), 2);
                        before = Math.Max(before, Math.Round(amount + 100, 2));
                        after = Math.Round(before - amount, 2);
                        break;
                    case 2: // A cash withdrawal that does not come from an ATM, for an odd amount.
                        kinds[row] = "cash_online";
                        merchant = Merchants[^1];
                        channel = 1;
                        device = "desktop";
                        amount = Math.Round(account.AverageAmount * (1 + random.NextDouble() * 2) + 0.37, 2);
                        after = Math.Round(before - amount, 2);
                        break;
                    case 3: // Abroad by country, yet flagged domestic and a few km from home.
                        kinds[row] = "foreign_flag";
                        country = OtherCountry(random, account.Home);
                        foreign = false;
                        distance = Math.Round(random.NextDouble() * 10, 1);
                        break;
                    case 4: // A night-time online burst.
                        kinds[row] = "night_burst";
                        channel = 1;
                        device = "desktop";
                        hour = random.Next(1, 5);
                        count24h = 20 + random.Next(20);
                        amount = Math.Round(account.AverageAmount * (3 + random.NextDouble() * 3), 2);
                        before = Math.Max(before, Math.Round(amount + 100, 2));
                        after = Math.Round(before - amount, 2);
                        break;
                    default: // Gross: a huge foreign travel purchase.
                        kinds[row] = "gross_travel";
                        merchant = Merchants[5];
                        amount = Math.Round(account.AverageAmount * (30 + random.NextDouble() * 30), 2);
                        country = OtherCountry(random, account.Home);
                        foreign = true;
                        distance = random.Next(3000, 12000);
                        before = Math.Max(before, Math.Round(amount + 100, 2));
                        after = Math.Round(before - amount, 2);
                        break;
                }
            }
            else
            {
                account.Balance = after;
            }

            csv.Text($"TX{seed:D2}{row:D9}").Text(account.Id).Number(account.Age).Number(account.TenureMonths).Money(account.AverageAmount)
                .Money(amount).Money(before).Money(after).Text(merchant.Category).Text(BankChannels[channel]).Text(device)
                .Number(hour).Number(random.Next(7)).Text(Countries[country]).Text(Countries[account.Home]).Text(foreign ? "true" : "false")
                .Text(CountryCurrencies[country]).Decimal(distance, 1).Number(count24h).Last(label ? 1 : 0);
        }
        return new SeedDataset("banking", csv.ToArray(), Labels(rows, anomalies), ["transaction_id"], 20) { Kinds = kinds };
    }

    private static string DeviceFor(Random random, int channel) => channel switch
    {
        0 => "terminal",
        1 => random.Next(3) == 0 ? "mobile_browser" : "desktop",
        2 => random.Next(2) == 0 ? "ios" : "android",
        _ => "atm",
    };

    private static int OtherCountry(Random random, int home)
    {
        var other = random.Next(Countries.Length - 1);
        return other >= home ? other + 1 : other;
    }

    // ---- Insurance: claims, 10 columns, ~0.5% anomalies ---------------------------------------------------------

    private sealed record Policy(string Type, double BasePremium, double CoverageMultiple, double ClaimShare);

    private static readonly Policy[] Policies =
    [
        new("auto", 900, 30, 0.08),
        new("home", 1200, 250, 0.03),
        new("health", 3000, 40, 0.05),
        new("travel", 150, 60, 0.10),
    ];

    private static readonly double[] PolicyWeights = [45, 25, 20, 10];
    private static readonly string[] Regions = ["north", "south", "east", "west", "central", "islands"];
    private static readonly double[] RegionPremiumFactors = [1.0, 0.9, 0.85, 1.05, 1.15, 1.25];

    public static SeedDataset Insurance(int rows, int seed)
    {
        var random = new Random(seed);
        var anomalies = PickAnomalies(random, rows, (int)Math.Round(rows * 0.005));
        var kinds = new string?[rows];
        var csv = new CsvBuilder(rows, 90,
            "claim_id,policy_type,holder_age,annual_premium,coverage_limit,claim_amount,days_since_policy_start,region,prior_claims,label");
        for (var row = 0; row < rows; row++)
        {
            var type = Pick(random, PolicyWeights);
            var policy = Policies[type];
            var region = random.Next(Regions.Length);
            var age = random.Next(18, 86);
            var premium = Math.Round(policy.BasePremium * AgeFactor(type, age) * RegionPremiumFactors[region] * LogNormal(random, 0, 0.15), 2);
            var coverage = Math.Max(1000, Math.Round(premium * policy.CoverageMultiple * LogNormal(random, 0, 0.1) / 1000) * 1000);
            var claim = Math.Round(coverage * Math.Min(0.9, -Math.Log(1 - random.NextDouble()) * policy.ClaimShare) + 50, 2);
            var days = random.Next(15, 1826);
            var prior = Poisson(random, 0.2 + age / 150.0);

            var label = anomalies.Contains(row);
            if (label)
            {
                switch (random.Next(4))
                {
                    case 0: // A premium far too low for the cover and the claim (the claim itself is ordinary in size).
                        kinds[row] = "premium_too_low";
                        premium = Math.Round(premium * (0.15 + random.NextDouble() * 0.15), 2);
                        claim = Math.Round(coverage * (0.3 + random.NextDouble() * 0.3), 2);
                        break;
                    case 1: // A claim above the coverage limit.
                        kinds[row] = "claim_over_limit";
                        claim = Math.Round(coverage * (1.05 + random.NextDouble() * 0.3), 2);
                        break;
                    case 2: // A young holder paying an old holder's health premium, or the other way round.
                        kinds[row] = "health_age_premium";
                        type = 2;
                        policy = Policies[type];
                        var young = random.Next(2) == 0;
                        age = young ? random.Next(18, 26) : random.Next(75, 86);
                        premium = Math.Round(policy.BasePremium * AgeFactor(type, young ? 82 : 20) * RegionPremiumFactors[region], 2);
                        coverage = Math.Max(1000, Math.Round(policy.BasePremium * AgeFactor(type, age) * policy.CoverageMultiple / 1000) * 1000);
                        claim = Math.Round(coverage * policy.ClaimShare, 2);
                        break;
                    default: // A large claim days after the policy started, from a holder with many prior claims.
                        kinds[row] = "early_large_claim";
                        days = random.Next(0, 10);
                        claim = Math.Round(coverage * (0.6 + random.NextDouble() * 0.3), 2);
                        prior = 3 + random.Next(4);
                        break;
                }
            }

            csv.Text($"CL{seed:D2}{row:D9}").Text(policy.Type).Number(age).Money(premium).Money(coverage).Money(claim)
                .Number(days).Text(Regions[region]).Number(prior).Last(label ? 1 : 0);
        }
        return new SeedDataset("insurance", csv.ToArray(), Labels(rows, anomalies), ["claim_id"], 10) { Kinds = kinds };
    }

    private static double AgeFactor(int type, int age) => type switch
    {
        0 => 1 + Math.Max(0, 25 - age) * 0.1 + Math.Max(0, age - 70) * 0.03, // auto: young and very old drivers pay more
        2 => 0.4 + age / 40.0, // health: rises with age
        3 => 0.8 + age / 150.0,
        _ => 1,
    };

    // ---- Sales: orders, 8 columns, ~0.001% anomalies (at least 2) -----------------------------------------------

    private static readonly string[] Categories = ["electronics", "clothing", "grocery", "furniture", "books"];
    private static readonly double[] CategoryWeights = [15, 25, 35, 5, 20];
    private static readonly double[] CategoryMedianPrice = [300, 40, 6, 600, 18];
    private static readonly double[] CategoryMeanQuantity = [1.3, 2, 6, 1.1, 1.8];
    private static readonly string[] SalesRegions = ["emea", "na", "latam", "apac", "anz"];
    private static readonly double[] Discounts = [0, 0.05, 0.1, 0.15, 0.2];
    private static readonly double[] DiscountWeights = [55, 15, 15, 10, 5];

    public static SeedDataset Sales(int rows, int seed)
    {
        var random = new Random(seed);
        var anomalies = PickAnomalies(random, rows, Math.Max(2, (int)Math.Round(rows * 0.00001)));
        var kinds = new string?[rows];
        var csv = new CsvBuilder(rows, 64, "order_id,region,product_category,quantity,unit_price,discount,total,label");
        var kind = 0;
        for (var row = 0; row < rows; row++)
        {
            var category = Pick(random, CategoryWeights);
            var quantity = 1 + Poisson(random, CategoryMeanQuantity[category] - 1);
            var price = Math.Round(LogNormal(random, Math.Log(CategoryMedianPrice[category]), 0.5), 2);
            var discount = Discounts[Pick(random, DiscountWeights)];
            var total = Math.Round(quantity * price * (1 - discount), 2);

            var label = anomalies.Contains(row);
            if (label)
            {
                // Alternate the two kinds, so that even the minimum of two anomalies has one of each.
                if (kind++ % 2 == 0)
                {
                    total = Math.Round(total * (1.3 + random.NextDouble() * 0.4), 2); // total != quantity x price x (1 - discount)
                    kinds[row] = "total_mismatch";
                }
                else
                {
                    kinds[row] = "discount_on_tenfold_price";
                    discount = 0.6; // an unheard-of discount on a price ten times the category's usual
                    price = Math.Round(price * 10, 2);
                    total = Math.Round(quantity * price * (1 - discount), 2);
                }
            }

            csv.Text($"SO{seed:D2}{row:D9}").Text(SalesRegions[random.Next(SalesRegions.Length)]).Text(Categories[category])
                .Number(quantity).Money(price).Decimal(discount, 2).Money(total).Last(label ? 1 : 0);
        }
        return new SeedDataset("sales", csv.ToArray(), Labels(rows, anomalies), ["order_id"], 8) { Kinds = kinds };
    }

    // ---- Shared ------------------------------------------------------------------------------------------------

    private static HashSet<int> PickAnomalies(Random random, int rows, int count)
    {
        var picked = new HashSet<int>();
        while (picked.Count < Math.Min(count, rows)) picked.Add(random.Next(rows));
        return picked;
    }

    private static bool[] Labels(int rows, HashSet<int> anomalies)
    {
        var labels = new bool[rows];
        foreach (var row in anomalies) labels[row] = true;
        return labels;
    }

    private static int Pick(Random random, double[] weights)
    {
        var target = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0) return i;
        }
        return weights.Length - 1;
    }

    private static double Gaussian(Random random, double mean, double sd) =>
        mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double LogNormal(Random random, double mu, double sigma) => Math.Exp(Gaussian(random, mu, sigma));

    private static int Poisson(Random random, double lambda)
    {
        if (lambda <= 0) return 0;
        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }

    /// <summary>Writes one row field by field, in invariant culture; <see cref="Last"/> ends the row.</summary>
    private sealed class CsvBuilder
    {
        private readonly StringBuilder _text;

        public CsvBuilder(int rows, int bytesPerRow, string header)
        {
            _text = new StringBuilder(rows * bytesPerRow + header.Length + 1);
            _text.Append(header).Append('\n');
        }

        public CsvBuilder Text(string value) { _text.Append(value).Append(','); return this; }

        public CsvBuilder Number(long value) { _text.Append(value).Append(','); return this; }

        public CsvBuilder Money(double value) => Decimal(value, 2);

        public CsvBuilder Decimal(double value, int decimals)
        {
            _text.Append(value.ToString(decimals == 1 ? "F1" : "F2", CultureInfo.InvariantCulture)).Append(',');
            return this;
        }

        public void Last(long value) => _text.Append(value).Append('\n');

        public byte[] ToArray() => Encoding.UTF8.GetBytes(_text.ToString());
    }
}
