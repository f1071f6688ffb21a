using Vigil.Validation.Apis;
using Vigil.Validation.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddValidationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApiDocument();
app.MapDatasetsApi();
app.MapSchemaApi();

app.Run();

public partial class Program;
