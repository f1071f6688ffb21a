namespace Vigil.IntegrationTests.Telemetry;

/// <summary>
/// A test that drives Debian's headless Chromium (installed by scripts/provision); skipped, with the reason, only on a
/// machine where it is not installed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
            Skip = $"{ExecutablePath} is not installed (scripts/provision installs it with apt-get install chromium, as root).";
    }
}
