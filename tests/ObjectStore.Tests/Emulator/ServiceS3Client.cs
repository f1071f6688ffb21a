using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>An <see cref="IAmazonS3"/> built by ServiceDefaults' AddVigilObjectStore from a connection string, as a service gets it.</summary>
public sealed class ServiceS3Client : IDisposable
{
    private readonly ServiceProvider _services;

    public ServiceS3Client(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:objectstore"] = connectionString });
        builder.AddVigilObjectStore();
        _services = builder.Services.BuildServiceProvider();
        S3 = _services.GetRequiredService<IAmazonS3>();
        Bucket = _services.GetRequiredService<ObjectStoreOptions>().Bucket;
    }

    public IAmazonS3 S3 { get; }

    public string Bucket { get; }

    public void Dispose() => _services.Dispose();
}
