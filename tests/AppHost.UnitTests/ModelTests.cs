using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

/// <summary>The AppHost's declared model, built without starting anything.</summary>
public sealed class ModelTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() =>
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<VigilLayout>([$"--data-dir={_data.Path}"]);

    [Fact]
    public void Only_the_gateway_is_external_on_port_5080()
    {
        var external = _builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Select(e => (r.Name, e))).Where(x => x.e.IsExternal).ToList();

        var (name, endpoint) = Assert.Single(external);
        Assert.Equal("gateway", name);
        Assert.Equal(5080, endpoint.Port);
    }

    [Fact]
    public void Every_resource_listens_on_a_port_of_its_own_and_only_the_gateway_is_behind_a_proxy()
    {
        var endpoints = _builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Select(e => (r.Name, e))).ToList();
        var listened = endpoints.Select(x => x.e.TargetPort).ToList();

        Assert.All(endpoints, x => Assert.True(x.e.TargetPort is not null, $"{x.Name}'s port is left to the orchestrator"));
        Assert.Equal(listened.Count, listened.Distinct().Count());
        Assert.Equal(["gateway"], endpoints.Where(x => x.e.IsProxied).Select(x => x.Name));
    }

    [Fact]
    public void Every_service_runs_its_build_output_with_dotnet_and_exports_telemetry()
    {
        // The object store is a backing server that happens to be .NET too (tools/ObjectStore): no telemetry of its own.
        var services = _builder.Resources.OfType<ExecutableResource>().Where(r => r.Command == "dotnet" && r is not ObjectStoreResource).ToList();

        Assert.Equal("dotnet", _builder.Resources.OfType<ObjectStoreResource>().Single().Command);
        Assert.Equal(["alerting", "dashboard", "gateway", "ingest", "lineage", "scoring", "validation"], services.Select(s => s.Name).Order());
        Assert.All(services, s => Assert.Contains(s.Annotations, a => a is OtlpExporterAnnotation));
        Assert.All(services, s => Assert.Contains(s.Annotations, a => a is HealthCheckAnnotation));
    }

    [Fact]
    public void Every_resource_a_service_references_is_also_waited_for_except_the_gateways_routes()
    {
        var gatewayRoutesOnly = new HashSet<string> { "validation", "scoring", "alerting", "dashboard" };
        foreach (var service in _builder.Resources.OfType<ExecutableResource>().Where(r => r.Command == "dotnet"))
        {
            var waits = service.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
            var references = service.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(r => r.Type == "Reference").Select(r => r.Resource.Name).ToHashSet();
            references.Remove(service.Name); // its own endpoint, in ASPNETCORE_URLS
            if (service.Name == "gateway") references.ExceptWith(gatewayRoutesOnly);
            // Ingest's scheduler calls Scoring only when a retraining tick comes; a tick finding it down is recorded as failed.
            if (service.Name == "ingest") references.Remove("scoring");
            Assert.True(references.IsSubsetOf(waits), $"{service.Name} references {string.Join(", ", references.Except(waits))} without waiting for it");
        }
    }

    [Fact]
    public async Task Only_the_batch_compute_services_run_without_the_runtimes_write_xor_execute()
    {
        var withoutWriteXorExecute = new List<string>();
        foreach (var service in _builder.Resources.OfType<ExecutableResource>().Where(r => r.Command == "dotnet"))
        {
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), service, []);
            foreach (var callback in service.Annotations.OfType<EnvironmentCallbackAnnotation>()) await callback.Callback(context);
            if (context.EnvironmentVariables.TryGetValue("DOTNET_EnableWriteXorExecute", out var value) && value is "0") withoutWriteXorExecute.Add(service.Name);
        }

        Assert.Equal(["scoring", "validation"], withoutWriteXorExecute.Order());
    }

    [Fact]
    public void The_gateway_admin_key_is_a_generated_secret_in_the_data_folder()
    {
        var file = Path.Combine(_data.Path, "gateway", "admin-key");

        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    public async Task DisposeAsync()
    {
        await _builder.DisposeAsync();
        _data.Dispose();
    }
}
