using Microsoft.Extensions.Configuration;

namespace Vigil.ServiceDefaults;

/// <summary>Reads <c>ConnectionStrings:{name}</c> (env <c>ConnectionStrings__{name}</c>), failing with a message that says what is missing.</summary>
public static class ConnectionStrings
{
    public static string Require(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Connection string '{name}' is missing. Set ConnectionStrings__{name} (the AppHost does this for you: dotnet run --project AppHost).");
}
