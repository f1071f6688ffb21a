using Vigil.Ingest.Apis;
using Vigil.Ingest.Events;
using Vigil.Ingest.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIngestServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapBatchesApi();
app.MapReconciliationsApi();
app.MapPullsApi();
app.MapSchedulesApi();
app.MapEventsApi();

app.Run();

public partial class Program;
