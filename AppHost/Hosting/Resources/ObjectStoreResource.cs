using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>
/// An S3-compatible object store served by moto_server on 127.0.0.1 (MinIO plays this role in Kubernetes).
/// moto keeps objects in memory: they last as long as the AppHost runs.
/// </summary>
public sealed class ObjectStoreResource(string name) : ServerResource(name), IResourceWithConnectionString
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private string _secretKey = "";

    public override string Kind => "s3 (moto)";

    public override string? Url => Port == 0 ? null : $"http://127.0.0.1:{Port}";

    public string ConnectionString => $"Endpoint={Url};AccessKey=vigil;SecretKey={_secretKey};Region=us-east-1";

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var moto = await ServerInstaller.RequireAsync(Name, "moto_server", Installation.Pip("moto[server]"), context, cancellationToken);
        _secretKey = GeneratedSecret.GetOrCreate(context.DirectoryFor(Name), "secret-key");
        Port = PortAllocator.FreeLoopbackPort();
        Launch(new ProcessSpec(moto, ["-H", "127.0.0.1", "-p", Port.ToString()]), context);
    }

    internal override Task WaitHealthyAsync(CancellationToken cancellationToken) =>
        HealthProbe.WaitUntilAsync(Name, token => HealthProbe.HttpOkAsync(Http, $"{Url}/", token), AnyProcessExited, TimeSpan.FromSeconds(30), cancellationToken);
}
