namespace Vigil.IntegrationTests.Hooks;

/// <summary>Lineage's callback settings in the tests: the run's signing secret, quick polling and retries.</summary>
public static class CallbackEnvironment
{
    public const int MaxAttempts = 4;

    public static void Configure(IDictionary<string, string> environment, string signingSecret)
    {
        environment["Callbacks__SigningSecret"] = signingSecret;
        environment["Callbacks__PollInterval"] = "00:00:00.200";
        environment["Callbacks__FirstRetryDelay"] = "00:00:00.300";
        environment["Callbacks__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
