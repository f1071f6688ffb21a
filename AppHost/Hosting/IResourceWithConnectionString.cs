namespace Vigil.AppHost.Hosting;

/// <summary>A backing resource that hands projects a connection string (as <c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }
    string ConnectionString { get; }
}
