using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Vigil.ServiceDefaults.Callbacks;

public static class CallbackExtensions
{
    /// <summary>Binds <see cref="CallbackOptions"/> (validated at start) and registers the <see cref="CallbackUrlPolicy"/> built from it.</summary>
    public static IHostApplicationBuilder AddVigilCallbacks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallbackOptions>()
            .BindConfiguration(CallbackOptions.Section)
            .Validate(o => o.MaxAttempts >= 1 && o.FirstRetryDelay > TimeSpan.Zero && o.MaxDelay >= o.FirstRetryDelay
                && o.RequestTimeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero,
                $"{CallbackOptions.Section}: MaxAttempts >= 1, FirstRetryDelay, RequestTimeout and PollInterval above zero, MaxDelay >= FirstRetryDelay.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new CallbackUrlPolicy(services.GetRequiredService<IOptions<CallbackOptions>>().Value.AllowedHosts));
        return builder;
    }
}
