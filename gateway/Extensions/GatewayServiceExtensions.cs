using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Gateway.Proxy;

namespace Vigil.Gateway.Extensions;

public static class GatewayServiceExtensions
{
    /// <summary>The reverse proxy: options from <c>ReverseProxy</c> (validated at start), destination selection, forwarder.</summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();

        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceAddressResolver>();
        builder.Services.AddSingleton<DestinationSelector>();
        builder.Services.AddSingleton<ForwarderHttpClient>();
        builder.Services.AddSingleton<HttpForwarder>();

        return builder;
    }

    /// <summary>Maps the proxied routes and the 404 problem+json answer for unmatched <c>/api</c> paths.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }
}
