using System.Globalization;
using System.Text;

namespace Vigil.Events.LoadTest;

/// <summary>
/// NDJSON request bodies of card payments: accounts with their own typical amount, and a small share of outliers
/// (fifty times the account's amount) so that anomalies are found and their latency can be measured exactly.
/// </summary>
public sealed class EventGenerator(int accounts, double outlierShare, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private long _next;

    public string NextBody(int events)
    {
        var body = new StringBuilder(events * 120);
        lock (_lock)
        {
            for (var i = 0; i < events; i++)
            {
                var id = _next++;
                var account = _random.Next(accounts);
                var typical = 20 + account % 200;
                var amount = _random.NextDouble() < outlierShare ? typical * 50 : typical * (0.8 + 0.4 * _random.NextDouble());
                body.Append(CultureInfo.InvariantCulture,
                    $"{{\"event_id\":\"e-{id}\",\"account_id\":\"a-{account}\",\"booked_at\":\"{DateTime.UtcNow:O}\",\"amount\":{amount:0.00},\"channel\":\"{(id % 3 == 0 ? "web" : "pos")}\"}}\n");
            }
        }
        return body.ToString();
    }
}
