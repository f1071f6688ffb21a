using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Vigil.ServiceDefaults.Memory;

public static class MemoryExtensions
{
    /// <summary>How long a service waits after its last large batch before giving memory back, unless configured.</summary>
    public static readonly TimeSpan DefaultIdleRelease = TimeSpan.FromSeconds(30);

    /// <summary>Registers <see cref="IdleMemoryRelease"/>, waiting <c>Memory:IdleRelease</c> (a time span) after the last large batch.</summary>
    public static IHostApplicationBuilder AddIdleMemoryRelease(this IHostApplicationBuilder builder)
    {
        var idle = builder.Configuration.GetValue("Memory:IdleRelease", DefaultIdleRelease);
        if (idle <= TimeSpan.Zero)
            throw new InvalidOperationException($"Memory:IdleRelease must be a positive time span (e.g. 00:00:30); it is {idle}.");
        builder.Services.AddSingleton(services => new IdleMemoryRelease(idle, services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }
}
