using Vigil.Dashboard.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapDashboard();

app.Run();

public partial class Program;
