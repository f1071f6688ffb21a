namespace Vigil.Platform.Benchmarks;

/// <summary>
/// One <c>--env [SERVICE:]NAME=VALUE</c>: an environment variable for one service, or for every service and server
/// the AppHost starts as a process when no service is named (e.g. <c>DOTNET_PerfMapEnabled=1</c> to profile them all).
/// </summary>
public sealed record ExtraEnvironment(string? Service, string Name, string Value)
{
    public static ExtraEnvironment Parse(string text, string? service = null)
    {
        var equals = text.IndexOf('=');
        var colon = text.IndexOf(':');
        if (service is null && colon > 0 && colon < equals) (service, text) = (text[..colon], text[(colon + 1)..]);
        var parts = text.Split('=', 2);
        if (parts is not [{ Length: > 0 } name, var value])
            throw new ArgumentException($"--env takes [SERVICE:]NAME=VALUE, not '{text}'.");
        return new ExtraEnvironment(service, name, value);
    }

    public bool AppliesTo(string resource) => Service is null || string.Equals(Service, resource, StringComparison.OrdinalIgnoreCase);
}
