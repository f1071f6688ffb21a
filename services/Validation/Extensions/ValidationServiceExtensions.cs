using Vigil.Contracts;
using Vigil.ServiceDefaults.Memory;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.ServiceDefaults.Postgres;
using Vigil.Validation.Consumers;
using Vigil.Validation.Reports;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Extensions;

public static class ValidationServiceExtensions
{
    public static IHostApplicationBuilder AddValidationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json => ValidationJson.Configure(json.SerializerOptions));
        builder.AddVigilPostgres("validation", typeof(ValidationServiceExtensions).Assembly);
        builder.AddVigilObjectStore();
        builder.AddIdleMemoryRelease();
        builder.AddVigilMessaging("validation", Stages.Validate, bus => bus.AddConsumer<BatchIngestedConsumer>());

        builder.Services.AddSingleton<DatasetStore>();
        builder.Services.AddSingleton<SchemaStore>();
        builder.Services.AddSingleton<ValidationRunStore>();
        builder.Services.AddSingleton<ValidationInputLoader>();
        builder.Services.AddSingleton<ObjectWriter>();
        builder.Services.AddSingleton<ValidationReportWriter>();
        builder.Services.AddSingleton<BatchSpills>();
        return builder;
    }
}
