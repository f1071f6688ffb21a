using Vigil.ObjectStore.Apis;
using Vigil.ObjectStore.Storage;

namespace Vigil.ObjectStore;

public static class HostingExtensions
{
    /// <summary>
    /// Kestrel on the one loopback address and port asked for, bodies of any size (they are streamed to disk), a quiet
    /// console (warnings and errors only), and a stop that never takes longer than two seconds.
    /// </summary>
    public static WebApplicationBuilder AddObjectStoreHost(this WebApplicationBuilder builder, StoreOptions options, FileStore store)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.WebHost.UseSockets(sockets =>
        {
            // Fewer system calls and thread hops per received block: bodies are large and arrive in 4 KB pool blocks.
            sockets.WaitForDataBeforeAllocatingBuffer = false;
            sockets.UnsafePreferInlineScheduling = true;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<MultipartUploads>();
        builder.Services.AddSingleton(services => new S3Api(store, services.GetRequiredService<MultipartUploads>(), options.AccessKey,
            services.GetRequiredService<ILogger<S3Api>>()));
        return builder;
    }
}
