using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>The source scan the environment-name tests rely on finds what the code reads, and nothing it does not.</summary>
public sealed class ConfigurationScanTests
{
    private const string ServiceDefaults = """
        public static class PostgresExtensions
        {
            public static IHostApplicationBuilder AddVigilPostgres(this IHostApplicationBuilder builder, string schema, Assembly migrations, string connectionName = "postgres")
            {
                var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
                return builder;
            }
        }
        public static class MessagingExtensions
        {
            public static IHostApplicationBuilder AddVigilMessaging(this IHostApplicationBuilder builder, string service, string? stage,
                Action<IBusRegistrationConfigurator> addConsumers, string connectionName = "rabbitmq")
            {
                var bucket = builder.Configuration["ObjectStore:Bucket"];
                var retry = builder.Configuration.GetSection("Messaging:RetryIntervalsMs").Get<int[]>();
                return builder;
            }
        }
        """;

    private const string Service = """
        public static class ScoringServiceExtensions
        {
            public static IHostApplicationBuilder AddScoringServices(this IHostApplicationBuilder builder)
            {
                builder.AddVigilPostgres("scoring", typeof(ScoringServiceExtensions).Assembly, connectionName: "warehouse");
                builder.AddVigilMessaging("scoring", Stages.Score, bus =>
                {
                    bus.AddConsumer<BatchValidatedConsumer>();
                    bus.AddConsumer<Consumers.ModelTrainingRequestedConsumer>();
                });
                var cache = builder.Configuration.GetConnectionString("cache");
                var validation = builder.Configuration["services:validation:http:0"];
                return builder;
            }
        }
        public sealed class ScoringOptions
        {
            public const string Section = "Scoring";
            public string Device { get; set; } = "auto";
            public OnnxRuntimeOptions OnnxRuntime { get; init; } = new();
            public List<string> Detectors { get; set; } = [];
            private string Hidden { get; set; } = "";
        }
        public sealed class OnnxRuntimeOptions
        {
            public int IntraOpThreads { get; set; }
        }
        """;

    private const string GatewaySettings = """
        { "ReverseProxy": { "Clusters": {
            "ingest": { "Destinations": { "d1": { "Address": "http://ingest" } } },
            "scoring": { "Destinations": { "d1": { "Address": "https+http://scoring" } } },
            "external": { "Destinations": { "d1": { "Address": "http://10.0.0.1:8080" } } } } } }
        """;

    private static readonly ConfigurationReadByCode Scan = ConfigurationReadByCode.Scan(
        [ServiceDefaults],
        [new ServiceSource("scoring", [Service], []), new ServiceSource("gateway", [], [GatewaySettings])]);

    [Fact]
    public void Connection_names_come_from_named_arguments_signature_defaults_and_literal_reads()
    {
        Assert.Equal(["cache", "rabbitmq", "warehouse"], Scan.ConnectionsByService["scoring"]);
        Assert.True(Scan.Reads("ConnectionStrings__warehouse"));
        Assert.False(Scan.Reads("ConnectionStrings__postgres")); // overridden by connectionName: "warehouse"
        Assert.Empty(Scan.ConnectionsByService["gateway"]);
    }

    [Fact]
    public void Options_sections_become_environment_names_through_nested_classes_and_collections()
    {
        Assert.True(Scan.Reads("Scoring__Device"));
        Assert.True(Scan.Reads("scoring__device")); // .NET configuration keys are case-insensitive
        Assert.True(Scan.Reads("Scoring__OnnxRuntime__IntraOpThreads"));
        Assert.True(Scan.Reads("Scoring__Detectors__0"));
        Assert.False(Scan.Reads("Scoring__OnnxRuntime"));
        Assert.False(Scan.Reads("Scoring__Hidden"));
        Assert.False(Scan.Reads("Scoring__Devices"));
        Assert.True(Scan.ReadsSection("Scoring"));
        Assert.False(Scan.ReadsSection("Alerting"));
    }

    [Fact]
    public void Literal_keys_and_sections_are_read_as_written()
    {
        Assert.True(Scan.Reads("ObjectStore__Bucket"));
        Assert.False(Scan.Reads("ObjectStore__Region"));
        Assert.True(Scan.Reads("Messaging__RetryIntervalsMs__2"));
    }

    [Fact]
    public void Cluster_addresses_without_a_port_are_read_as_service_discovery_names()
    {
        Assert.Equal(["ingest:http", "scoring:http", "scoring:https"], Scan.ServiceAddressesByService["gateway"]);
        Assert.True(Scan.Reads("services__ingest__http__0"));
        Assert.True(Scan.Reads("services__scoring__https__0"));
        Assert.False(Scan.Reads("services__ingest__https__0"));
        Assert.False(Scan.Reads("services__lineage__http__0"));
    }

    [Fact]
    public void Literal_service_discovery_reads_count_as_calls_to_that_service()
    {
        Assert.Equal(["validation:http"], Scan.ServiceAddressesByService["scoring"]);
        Assert.True(Scan.Reads("services__validation__http__0"));
    }

    [Fact]
    public void Consumers_listen_on_kebab_case_queues_prefixed_with_the_service()
    {
        Assert.Equal(["scoring-batch-validated", "scoring-model-training-requested"], Scan.QueuesByService["scoring"]);
    }

    [Fact]
    public void The_repository_scan_finds_the_bus_connection_and_a_queue_for_every_consuming_service()
    {
        var code = ConfigurationReadByCode.ScanRepository();
        var consuming = Repository.ServiceProjects
            .Where(p => Directory.Exists(Repository.PathOf($"{p.Directory}/Consumers")))
            .Select(p => p.Name).ToList();
        Assert.Contains("validation", consuming);
        Assert.Contains("scoring", consuming);
        Assert.All(consuming, service =>
        {
            Assert.Contains("rabbitmq", code.ConnectionsByService[service]);
            Assert.NotEmpty(code.QueuesByService[service]);
            Assert.All(code.QueuesByService[service], queue => Assert.StartsWith($"{service}-", queue));
        });
    }
}
