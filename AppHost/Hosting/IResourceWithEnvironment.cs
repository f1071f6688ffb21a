namespace Vigil.AppHost.Hosting;

/// <summary>A resource that hands the projects referencing it configuration values (environment variables) of its own.</summary>
public interface IResourceWithEnvironment
{
    IReadOnlyDictionary<string, string> ReferenceEnvironment { get; }
}
