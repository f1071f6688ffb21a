using Vigil.Alerting.Apis;
using Vigil.Alerting.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAlertingServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapPoliciesApi();
app.MapAlertsApi();

app.Run();

public partial class Program;
