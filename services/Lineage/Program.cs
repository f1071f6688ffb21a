using Vigil.Lineage.Apis;
using Vigil.Lineage.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLineageServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapRunsApi();
app.MapLineageApi();
app.MapHistoryApi();

app.Run();

public partial class Program;
