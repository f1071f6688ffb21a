using Vigil.DirectFiles;
using Vigil.ObjectStore;
using Vigil.ObjectStore.Apis;
using Vigil.ObjectStore.Storage;

// Vigil's local object store: S3's API (path-style) over plain files under --data-dir, on loopback only.
StoreOptions options;
try
{
    options = StoreOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"objectstore: {e.Message}");
    return 2;
}

Directory.CreateDirectory(options.DataDirectory);
var removed = TemporaryFile.RemoveLeftovers(options.DataDirectory);
var store = new FileStore(options.DataDirectory, options.DirectIo && DirectIo.WorksIn(options.DataDirectory));
foreach (var bucket in options.Buckets) store.CreateBucket(bucket);

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.AddObjectStoreHost(options, store);
var app = builder.Build();
if (options.LogRequests) app.Use(RequestLog.WriteAsync);
app.Run(app.Services.GetRequiredService<S3Api>().HandleAsync);

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    Console.Error.WriteLine($"objectstore: cannot start: {e.Message}");
    return 2;
}
Console.WriteLine($"objectstore: listening on {string.Join(", ", app.Urls)} (data in {options.DataDirectory}; buckets: "
    + $"{(options.Buckets.Count == 0 ? "none" : string.Join(", ", options.Buckets))}{(removed > 0 ? $"; {removed} interrupted writes removed" : "")}; "
    + $"{(store.DirectIo ? "bodies with direct I/O" : "bodies through the page cache")})");
if (options.ParentPid is { } parent) ParentWatch.Start(parent, app.Lifetime);
await app.WaitForShutdownAsync();
return 0;
