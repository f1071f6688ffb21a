namespace Vigil.ServiceDefaults.Callbacks;

/// <summary>
/// Completion callbacks (<c>Callbacks</c> section), read by Ingest (which refuses bad URLs at submission) and Lineage
/// (which sends them). Loopback, link-local and private addresses are refused unless named in <see cref="AllowedHosts"/>.
/// </summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>
    /// Host names, IP addresses or CIDR ranges (<c>127.0.0.1</c>, <c>localhost</c>, <c>10.20.0.0/16</c>) a callback may
    /// reach although they are loopback, link-local or private. Empty by default.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The HMAC-SHA256 key for every dataset without its own (Lineage only; never shown by any API).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Per-dataset keys, by dataset name, over <see cref="SigningSecret"/>.</summary>
    public Dictionary<string, string> DatasetSecrets { get; set; } = [];

    /// <summary>Deliveries tried before giving up (the first one included).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; doubled after each further one, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often Lineage looks for callbacks that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public string? SecretFor(string dataset) =>
        DatasetSecrets.TryGetValue(dataset, out var own) && own.Length > 0 ? own : SigningSecret is { Length: > 0 } shared ? shared : null;
}
