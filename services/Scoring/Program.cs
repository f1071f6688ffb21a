using Vigil.Scoring.Apis;
using Vigil.Scoring.Events;
using Vigil.Scoring.Extensions;
using Vigil.Scoring.Feedback;
using Vigil.Scoring.Lifecycle;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddScoringServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapModelsApi();
app.MapAnomaliesApi();
app.MapSystemApi();
app.MapEventsApi();
app.MapLifecycleApi();
app.MapFeedbackApi();

app.Run();

public partial class Program;
