namespace Vigil.Alerting;

/// <summary>Alerting's settings, section <c>Alerting</c> (environment <c>Alerting__*</c>).</summary>
public sealed class AlertingOptions
{
    public const string Section = "Alerting";

    /// <summary>The public address of the gateway; report links in alerts are <c>{PublicBaseUrl}/api/runs/{id}/reports/{kind}</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How often open runs are checked against the policies' <c>run_not_completed_within</c>.</summary>
    public TimeSpan StuckRunScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a run may stay open, whatever the policies say: past it the stuck-run sweeper fails the run
    /// (publishes <c>RunFailed</c> with the reason), so every run ends. Well above the stages' retry budgets.
    /// </summary>
    public TimeSpan RunDeadline { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Throttle window of a policy that does not set its own.</summary>
    public TimeSpan DefaultThrottleWindow { get; set; } = TimeSpan.FromMinutes(15);

    public DeliveryOptions Delivery { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>Retries of a delivery: attempt n+1 waits FirstRetryDelay x 2^(n-1), at most MaxRetryDelay; after MaxAttempts it is dead-lettered.</summary>
public sealed class DeliveryOptions
{
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest wait for one webhook request or SMTP conversation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the delivery worker looks for due deliveries when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The SMTP server e-mail channels send through. Credentials come from the environment or a secret store, never from the repository.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    /// <summary>STARTTLS before authenticating and sending (System.Net.Mail does not speak implicit TLS on port 465).</summary>
    public bool EnableSsl { get; set; }

    /// <summary>Authenticate when set (with <see cref="Password"/>); otherwise send unauthenticated.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "vigil@localhost";
}
