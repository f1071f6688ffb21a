using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Vigil.ServiceDefaults.ObjectStore;

public static class ObjectStoreExtensions
{
    /// <summary>Registers <see cref="IAmazonS3"/> against <c>ConnectionStrings:{connectionName}</c>, ensures the bucket exists at start, and adds a readiness check.</summary>
    public static IHostApplicationBuilder AddVigilObjectStore(this IHostApplicationBuilder builder, string connectionName = "objectstore")
    {
        var options = ObjectStoreOptions.Parse(ConnectionStrings.Require(builder.Configuration, connectionName), builder.Configuration["ObjectStore:Bucket"]);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IAmazonS3>(_ => new AmazonS3Client(
            new BasicAWSCredentials(options.AccessKey, options.SecretKey),
            new AmazonS3Config
            {
                ServiceURL = options.Endpoint.ToString(),
                ForcePathStyle = true,
                AuthenticationRegion = options.Region,
                // moto and MinIO accept plain payload signing; checksums on every request only cost time here.
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
                // A store that is down is reported within seconds (503 to the caller, a retry for a consumer).
                ConnectTimeout = TimeSpan.FromSeconds(2),
                MaxErrorRetry = 2,
            }));
        builder.Services.AddHostedService<BucketInitializer>();
        builder.Services.AddHealthChecks().AddCheck<ObjectStoreHealthCheck>(connectionName);
        return builder;
    }

    private sealed class BucketInitializer(IAmazonS3 s3, ObjectStoreOptions options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Another service created it first.
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ObjectStoreHealthCheck(IAmazonS3 s3, ObjectStoreOptions options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, MaxKeys = 1 }, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Bucket '{options.Bucket}' is not reachable", e);
            }
        }
    }
}
