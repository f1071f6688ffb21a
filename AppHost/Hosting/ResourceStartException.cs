namespace Vigil.AppHost.Hosting;

/// <summary>A resource could not be started; the message says what to do about it.</summary>
public sealed class ResourceStartException(string resource, string message) : Exception($"{resource}: {message}")
{
    public string Resource { get; } = resource;
}
