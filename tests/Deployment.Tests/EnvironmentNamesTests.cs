using System.Text.RegularExpressions;
using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>
/// The configuration names in the manifests and Dockerfiles are the ones the services read, as found in their source
/// (<see cref="ConfigurationReadByCode"/>), and each service gets every connection its code asks for.
/// </summary>
public sealed class EnvironmentNamesTests
{
    /// <summary>
    /// Names the deployment sets before the code that reads them has landed (the Scoring engine: device selection).
    /// Accepted only while no code reads the Scoring section at all; once it does, these names must be exactly what it
    /// reads, like every other name.
    /// </summary>
    private static readonly string[] SetAheadOfCode = ["Scoring__Device"];

    private static readonly ConfigurationReadByCode Code = ConfigurationReadByCode.ScanRepository();

    /// <summary>
    /// Route and cluster settings of YARP's own schema, which the gateway loads whole from its ReverseProxy section (the
    /// dashboard's route is set this way in gateway.yaml, as the AppHost sets it locally). Only the properties Vigil's
    /// routes use, so a misspelt one still fails.
    /// </summary>
    private static readonly Regex ReverseProxyName = new(
        @"^ReverseProxy__(Routes__[a-z0-9-]+__(ClusterId|AuthorizationPolicy|Order|Timeout|MaxRequestBodySize|Match__Path|Match__Methods__\d+)" +
        @"|Clusters__[a-z0-9-]+__Destinations__[a-z0-9-]+__Address)$");

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_configuration_variable_in_the_manifests_is_one_the_code_reads(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var unread = manifests.VigilServices
            .SelectMany(w => manifests.Environment(w.App).Keys.Select(name => (Workload: w.Name, Name: name)))
            .Where(v => v.Name.Contains("__", StringComparison.Ordinal) && !IsRead(v.Name)
                && !(v.Workload == "gateway" && ReverseProxyName.IsMatch(v.Name) && GatewayLoadsReverseProxySection))
            .Select(v => $"{v.Workload}: {v.Name}")
            .ToList();
        Assert.True(unread.Count == 0, "Set in the manifests but read by no code:\n" + string.Join("\n", unread));
    }

    [Fact]
    public void Every_configuration_variable_in_the_dockerfiles_is_one_the_code_reads()
    {
        var unread = Repository.ServiceProjects
            .SelectMany(p =>
            {
                var dockerfile = Dockerfile.Load(p.Dockerfile);
                return dockerfile.Stages.SelectMany(s => Dockerfile.EnvOf(s.Instructions).Keys).Select(name => (p.Name, Variable: name));
            })
            .Where(v => v.Variable.Contains("__", StringComparison.Ordinal) && !IsRead(v.Variable))
            .Select(v => $"{v.Name}: {v.Variable}")
            .ToList();
        Assert.True(unread.Count == 0, "Set in a Dockerfile but read by no code:\n" + string.Join("\n", unread));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Each_service_gets_every_connection_its_code_reads_from_a_secret_key_that_exists(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.All(manifests.VigilServices, workload =>
        {
            var environment = manifests.Environment(workload.App);
            foreach (var connection in Code.ConnectionsByService[workload.Name])
            {
                var variable = $"ConnectionStrings__{connection}";
                Assert.True(environment.TryGetValue(variable, out var source), $"{workload.Name} reads {variable}, which its Deployment does not set.");
                Assert.True(source.SecretName is not null, $"{workload.Name}: {variable} must come from a Secret, not a literal.");
            }
            Assert.All(environment.Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)), e =>
            {
                var data = manifests.SecretData(e.Value.SecretName!);
                Assert.True(data?.ContainsKey(e.Value.SecretKey!) == true, $"{workload.Name}: {e.Key} names Secret {e.Value.SecretName} key {e.Value.SecretKey}, which is not rendered.");
            });
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Each_service_gets_the_address_of_every_service_it_calls(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        Assert.NotEmpty(Code.ServiceAddressesByService["gateway"]);
        Assert.All(manifests.VigilServices, workload =>
        {
            var environment = manifests.Environment(workload.App);
            foreach (var called in Code.ServiceAddressesByService[workload.Name].GroupBy(a => a.Split(':')[0]))
            {
                // One address per logical name is enough: https+http://x takes whichever of the two is set.
                var variables = called.Select(a => $"services__{called.Key}__{a.Split(':')[1]}__0").ToList();
                var set = variables.Where(environment.ContainsKey).ToList();
                Assert.True(set.Count > 0, $"{workload.Name} calls {called.Key} but none of {string.Join(", ", variables)} is set.");
                foreach (var variable in set)
                {
                    // The value is a Service in the namespace, on a port that Service has.
                    var uri = new Uri(environment[variable].Value!);
                    var service = manifests.Get("Service", uri.Host);
                    Assert.Contains(service.Arr("spec", "ports").OfType<JsonObject>(), p => p.Str("port") == uri.Port.ToString());
                }
            }
        });
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Every_service_exports_telemetry_to_the_aspire_dashboard_under_its_own_name(string overlay)
    {
        Assert.True(Code.Reads("OTEL_EXPORTER_OTLP_ENDPOINT") && Code.Reads("OTEL_SERVICE_NAME"), "ServiceDefaults no longer reads the OTEL_* names.");
        var manifests = Kustomize.Overlay(overlay);
        var dashboard = manifests.Get("Service", "aspire-dashboard");
        Assert.All(manifests.VigilServices, workload =>
        {
            var environment = manifests.Environment(workload.App);
            Assert.Equal(workload.Name, environment["OTEL_SERVICE_NAME"].Value);
            var endpoint = new Uri(environment["OTEL_EXPORTER_OTLP_ENDPOINT"].Value!);
            Assert.Equal("aspire-dashboard", endpoint.Host);
            var port = Assert.Single(dashboard.Arr("spec", "ports").OfType<JsonObject>(), p => p.Str("port") == endpoint.Port.ToString());
            Assert.Equal("otlp-grpc", port.Str("targetPort"));
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"].Value);
        });
        var container = Assert.Single(manifests.Workload("aspire-dashboard").Containers);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspire-dashboard:", container.Str("image"));
        Assert.Contains(container.Arr("ports").OfType<JsonObject>(), p => p.Str("name") == "otlp-grpc" && p.Str("containerPort") == "18889");
    }

    [Fact]
    public void Names_set_ahead_of_the_code_are_only_scoring_settings_the_code_does_not_read_yet()
    {
        // When the Scoring section lands in code, this list stops excusing anything: each name must then be read.
        Assert.All(SetAheadOfCode, name => Assert.StartsWith("Scoring__", name));
        if (Code.ReadsSection("Scoring"))
            Assert.All(SetAheadOfCode, name => Assert.True(Code.Reads(name), $"Scoring reads its section but not {name}; rename it in k8s/ and the Dockerfile."));
    }

    [Fact]
    public void Only_the_gateway_names_yarp_settings_and_only_in_the_schema_it_loads()
    {
        Assert.True(GatewayLoadsReverseProxySection, "The gateway no longer loads the ReverseProxy section into YARP.");
        Assert.Matches(ReverseProxyName, "ReverseProxy__Routes__dashboard__Match__Path");
        Assert.DoesNotMatch(ReverseProxyName, "ReverseProxy__Routes__dashboard__Match__Paths");
        Assert.DoesNotMatch(ReverseProxyName, "ReverseProxy__Clusters__dashboard__Destination__d1__Address");
        foreach (var overlay in new[] { "cpu", "gpu" })
        {
            var manifests = Kustomize.Overlay(overlay);
            Assert.All(manifests.VigilServices.Where(w => w.Name != "gateway"),
                workload => Assert.DoesNotContain(manifests.Environment(workload.App).Keys, name => name.StartsWith("ReverseProxy__", StringComparison.Ordinal)));
        }
    }

    private static bool GatewayLoadsReverseProxySection =>
        Repository.CSharpSources("gateway/Routing").Any(source =>
            source.Contains("LoadFromConfig(builder.Configuration.GetSection(SectionName))", StringComparison.Ordinal)
            && source.Contains("SectionName = \"ReverseProxy\"", StringComparison.Ordinal));

    private static bool IsRead(string name) =>
        Code.Reads(name) || (SetAheadOfCode.Contains(name) && !Code.ReadsSection("Scoring"));
}
