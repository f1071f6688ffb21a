using System.Globalization;

namespace Vigil.Events.LoadTest;

/// <summary>Command-line options; see README.md for what each does.</summary>
public sealed record LoadOptions
{
    public Uri? Gateway { get; init; }
    public string? ApiKey { get; init; }
    public int Rate { get; init; } = 5000;
    public int DurationSeconds { get; init; } = 60;
    public int EventsPerRequest { get; init; } = 50;
    public int Connections { get; init; } = 8;
    public int Accounts { get; init; } = 1000;
    public double OutlierShare { get; init; } = 0.005;
    public bool FindMax { get; init; }
    public int StepRate { get; init; } = 1000;
    public int MaxRate { get; init; } = 20_000;
    public double P95LimitMs { get; init; } = 500;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--gateway" => options with { Gateway = new Uri(Next()) },
                "--api-key" => options with { ApiKey = Next() },
                "--rate" => options with { Rate = Int() },
                "--duration" => options with { DurationSeconds = Int() },
                "--batch" => options with { EventsPerRequest = Int() },
                "--connections" => options with { Connections = Int() },
                "--accounts" => options with { Accounts = Int() },
                "--outliers" => options with { OutlierShare = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--find-max" => options with { FindMax = true },
                "--step" => options with { StepRate = Int() },
                "--max-rate" => options with { MaxRate = Int() },
                "--p95-limit-ms" => options with { P95LimitMs = double.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        if (options.Rate <= 0 || options.DurationSeconds <= 0 || options.EventsPerRequest <= 0 || options.Connections <= 0)
            throw new ArgumentException("--rate, --duration, --batch and --connections must be positive.");
        return options;
    }
}
