namespace Vigil.IntegrationTests.Alerting;

/// <summary>
/// What the Alerting service runs with under test: the shared SMTP receiver (started here, so its port is known
/// before the application starts), SMTP credentials made up for this run, quick retries and a quick stuck-run scan.
/// </summary>
public static class AlertingEnvironment
{
    public const string SmtpUser = "vigil-alerts";
    public const string From = "vigil-alerts@vigil.test";
    public const int MaxAttempts = 4;
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>Where report links in alerts point (Alerting's default, the AppHost's public gateway address).</summary>
    public const string PublicBaseUrl = "http://127.0.0.1:5080";

    private static readonly string SmtpPassword = Guid.NewGuid().ToString("n");
    private static readonly Lazy<SmtpReceiver> SharedSmtp = new(() => new SmtpReceiver(SmtpUser, SmtpPassword));

    public static SmtpReceiver Smtp => SharedSmtp.Value;

    /// <summary>Sets the Alerting project's environment (called once by the fixture before the application starts).</summary>
    public static void Configure(IDictionary<string, string> environment)
    {
        environment["Alerting__Smtp__Host"] = "127.0.0.1";
        environment["Alerting__Smtp__Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Alerting__Smtp__UserName"] = SmtpUser;
        environment["Alerting__Smtp__Password"] = SmtpPassword;
        environment["Alerting__Smtp__From"] = From;
        environment["Alerting__StuckRunScanInterval"] = "00:00:00.500";
        environment["Alerting__Delivery__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Alerting__Delivery__FirstRetryDelay"] = FirstRetryDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        environment["Alerting__Delivery__MaxRetryDelay"] = "00:00:02";
        environment["Alerting__Delivery__PollInterval"] = "00:00:00.200";
        environment["Alerting__Delivery__Timeout"] = "00:00:05";
    }
}
