using Aspire.Hosting.ApplicationModel;

namespace Vigil.AppHost.Resources;

/// <summary>
/// When the AppHost runs with VIGIL_INSTANCE set (the Ctrl+C test does this), every resource gets it too, so its
/// processes and their children can be found in /proc afterwards and proven gone.
/// </summary>
public static class InstanceMarker
{
    public const string VariableName = "VIGIL_INSTANCE";

    public static IResourceBuilder<T> WithInstanceMarker<T>(this IResourceBuilder<T> builder) where T : IResourceWithEnvironment =>
        Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } marker ? builder.WithEnvironment(VariableName, marker) : builder;
}
