using Vigil.Contracts;
using Vigil.Validation.Consumers;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Validation.Extensions;

public static class ValidationServiceExtensions
{
    public static IHostApplicationBuilder AddValidationServices(this IHostApplicationBuilder builder)
    {
        builder.AddVigilObjectStore();
        builder.AddVigilMessaging("validation", Stages.Validate, bus => bus.AddConsumer<BatchIngestedConsumer>());
        return builder;
    }
}
