using Vigil.AppHost.Resources;

// Without a development certificate the dashboard and its OTLP endpoint run on plain http (loopback only); and the
// AppHost runs as Development unless told otherwise, as `dotnet run` does through launchSettings.json.
Environment.SetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT", Environment.GetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT") ?? "true");
Environment.SetEnvironmentVariable("DOTNET_ENVIRONMENT", Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development");

var builder = DistributedApplication.CreateBuilder(args);
var layout = VigilLayout.From(builder.Configuration);

var postgres = builder.AddPostgresServer("postgres", layout);
var redis = builder.AddRedisServer("redis", layout);
var rabbitmq = builder.AddRabbitMQServer("rabbitmq", layout);
var objectstore = builder.AddObjectStore("objectstore", layout);

var validation = builder.AddService("validation", "services/Validation", layout).WithBatchComputeRuntime()
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(objectstore).WaitFor(objectstore);

var ingest = builder.AddService("ingest", "services/Ingest", layout)
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(objectstore).WaitFor(objectstore)
    .WithReference(validation.GetEndpoint("http")).WaitFor(validation);

var scoring = builder.AddService("scoring", "services/Scoring", layout).WithBatchComputeRuntime()
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(objectstore).WaitFor(objectstore);

// Ingest's scheduler starts retraining through Scoring's train endpoint; not waited for: a tick finding Scoring down is recorded as failed.
ingest.WithReference(scoring.GetEndpoint("http"));

var alerting = builder.AddService("alerting", "services/Alerting", layout)
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(redis).WaitFor(redis)
    .WithReference(rabbitmq).WaitFor(rabbitmq);

var lineage = builder.AddService("lineage", "services/Lineage", layout)
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(objectstore).WaitFor(objectstore);

// Lineage signs completion callbacks with this key (HMAC-SHA256); receivers find it in .vigil/lineage/callback-secret.
lineage.WithGeneratedSecret("Callbacks__SigningSecret", "callback-secret", layout);

// The web UI, published by the gateway at /ui; it reads the API through the gateway with the signed-in person's key.
var dashboard = builder.AddService("dashboard", "dashboard", layout);

var gateway = builder.AddService("gateway", "gateway", layout, publicPort: 5080)
    .WithReference(postgres).WaitFor(postgres)
    .WithReference(redis).WaitFor(redis)
    .WithReference(ingest.GetEndpoint("http")).WaitFor(ingest)
    .WithReference(lineage.GetEndpoint("http")).WaitFor(lineage)
    // Proxied on demand: the gateway answers 502/503 for these while they are down, so it need not wait for them.
    .WithReference(validation.GetEndpoint("http"))
    .WithReference(scoring.GetEndpoint("http"))
    .WithReference(alerting.GetEndpoint("http"))
    .WithDashboardRoute(dashboard)
    .WithGeneratedSecret("Gateway__AdminKey", "admin-key", layout)
    .WithExternalHttpEndpoints();

dashboard.WithReference(gateway.GetEndpoint("http")).WaitFor(gateway);

builder.AddReadinessReport(gateway, layout);
builder.Build().Run();
