using System.Data.Common;
using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>The committed Secrets are templates, and in the self-contained install they fit the in-cluster servers.</summary>
public sealed class SecretTests
{
    private const string Placeholder = "REPLACE_ME";

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Committed_secrets_hold_placeholders_only(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var secrets = manifests.OfKind("Secret").ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, secret =>
        {
            var name = secret.Str("metadata", "name")!;
            Assert.All(manifests.SecretData(name)!, pair => Assert.True(pair.Value.Contains(Placeholder, StringComparison.Ordinal),
                $"Secret {name} key {pair.Key} holds a value without {Placeholder}: real secrets never go in the repository."));
        });
        // They come from files named as templates, so nobody mistakes them for configuration to fill in place.
        var envFiles = Directory.EnumerateFiles(Repository.PathOf("k8s"), "*.env", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(envFiles);
        Assert.All(envFiles, file => Assert.EndsWith(".template.env", file));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Connection_strings_point_at_the_in_cluster_servers_with_the_credentials_they_start_with(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var connections = manifests.SecretData(ConnectionsSecret(manifests))!;

        var postgres = Parts(connections["postgres"]);
        var server = Server(manifests, "postgres");
        AssertServicePort(manifests, postgres["Host"], postgres["Port"]);
        Assert.Equal(server["POSTGRES_DB"], postgres["Database"]);
        Assert.Equal(server["POSTGRES_USER"], postgres["Username"]);
        Assert.Equal(server["POSTGRES_PASSWORD"], postgres["Password"]);

        var redis = connections["redis"].Split(',');
        AssertServicePort(manifests, redis[0].Split(':')[0], redis[0].Split(':')[1]);
        Assert.Equal(Server(manifests, "redis")["REDIS_PASSWORD"], redis.Single(p => p.StartsWith("password=", StringComparison.Ordinal))["password=".Length..]);

        var rabbitmq = new Uri(connections["rabbitmq"]);
        Assert.Equal("amqp", rabbitmq.Scheme);
        AssertServicePort(manifests, rabbitmq.Host, rabbitmq.Port.ToString());
        Assert.Equal($"{Server(manifests, "rabbitmq")["RABBITMQ_DEFAULT_USER"]}:{Server(manifests, "rabbitmq")["RABBITMQ_DEFAULT_PASS"]}", Uri.UnescapeDataString(rabbitmq.UserInfo));

        var objectStore = Parts(connections["objectstore"]);
        var endpoint = new Uri(objectStore["Endpoint"]);
        AssertServicePort(manifests, endpoint.Host, endpoint.Port.ToString());
        Assert.Equal(Server(manifests, "minio")["MINIO_ROOT_USER"], objectStore["AccessKey"]);
        Assert.Equal(Server(manifests, "minio")["MINIO_ROOT_PASSWORD"], objectStore["SecretKey"]);
    }

    [Fact]
    public void Keda_uses_the_rabbitmq_credentials_the_broker_starts_with()
    {
        var manifests = Kustomize.Overlay("gpu");
        var target = Assert.Single(Assert.Single(manifests.OfKind("TriggerAuthentication")).Arr("spec", "secretTargetRef").OfType<JsonObject>());
        var host = new Uri(manifests.SecretData(target.Str("name")!)![target.Str("key")!]);
        var broker = Server(manifests, "rabbitmq");
        Assert.Equal($"{broker["RABBITMQ_DEFAULT_USER"]}:{broker["RABBITMQ_DEFAULT_PASS"]}", Uri.UnescapeDataString(host.UserInfo));
    }

    private static string ConnectionsSecret(Manifests manifests) =>
        manifests.Environment(manifests.Workload("ingest").App)["ConnectionStrings__postgres"].SecretName!;

    /// <summary>A backing server's environment with Secret references resolved.</summary>
    private static Dictionary<string, string> Server(Manifests manifests, string name)
    {
        var container = Assert.Single(manifests.Workload(name).Containers);
        return manifests.Environment(container).ToDictionary(
            e => e.Key,
            e => e.Value.SecretName is { } secret ? manifests.SecretData(secret)![e.Value.SecretKey!] : e.Value.Value!);
    }

    private static Dictionary<string, string> Parts(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.Keys.Cast<string>().ToDictionary(k => k, k => builder[k].ToString()!, StringComparer.OrdinalIgnoreCase);
    }

    private static void AssertServicePort(Manifests manifests, string host, string port)
    {
        var service = manifests.Get("Service", host);
        Assert.Contains(service.Arr("spec", "ports").OfType<JsonObject>(), p => p.Str("port") == port);
    }
}
