using Vigil.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();
builder.AddGatewayStores();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGateway();

app.Run();

public partial class Program;
