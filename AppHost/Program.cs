using Vigil.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var redis = builder.AddRedis("redis");
var rabbitmq = builder.AddRabbitMQ("rabbitmq");
var objectstore = builder.AddObjectStore("objectstore");

var validation = builder.AddProject("validation", "services/Validation")
    .WithReference(postgres).WithReference(rabbitmq).WithReference(objectstore)
    .WaitFor(postgres).WaitFor(rabbitmq).WaitFor(objectstore);

var ingest = builder.AddProject("ingest", "services/Ingest")
    .WithReference(postgres).WithReference(redis).WithReference(rabbitmq).WithReference(objectstore).WithReference(validation)
    .WaitFor(postgres).WaitFor(redis).WaitFor(rabbitmq).WaitFor(objectstore).WaitFor(validation);

var scoring = builder.AddProject("scoring", "services/Scoring")
    .WithReference(postgres).WithReference(redis).WithReference(rabbitmq).WithReference(objectstore)
    .WaitFor(postgres).WaitFor(redis).WaitFor(rabbitmq).WaitFor(objectstore);

var alerting = builder.AddProject("alerting", "services/Alerting")
    .WithReference(postgres).WithReference(redis).WithReference(rabbitmq)
    .WaitFor(postgres).WaitFor(redis).WaitFor(rabbitmq);

var lineage = builder.AddProject("lineage", "services/Lineage")
    .WithReference(postgres).WithReference(rabbitmq).WithReference(objectstore)
    .WaitFor(postgres).WaitFor(rabbitmq).WaitFor(objectstore);

builder.AddProject("gateway", "gateway")
    .WithReference(postgres).WithReference(redis)
    .WithReference(ingest).WithReference(validation).WithReference(scoring).WithReference(lineage).WithReference(alerting)
    .WaitFor(postgres).WaitFor(redis).WaitFor(ingest).WaitFor(lineage)
    .WithGeneratedSecret("Gateway__AdminKey", "admin-key")
    .WithExternalHttpEndpoints(port: 5080);

await using var app = builder.Build();
return await app.RunAsync();
public partial class Program;
