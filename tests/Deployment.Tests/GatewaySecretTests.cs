using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>The gateway's admin key reaches it from a rendered Secret, never as a literal in a manifest.</summary>
public sealed class GatewaySecretTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Gateway_reads_its_admin_key_from_a_secret_that_is_rendered(string overlay)
    {
        var manifests = Kustomize.Overlay(overlay);
        var environment = manifests.Environment(manifests.Workload("gateway").App);

        Assert.True(environment.TryGetValue("Gateway__AdminKey", out var source), "The gateway Deployment does not set Gateway__AdminKey.");
        Assert.NotNull(source.SecretName);
        Assert.True(manifests.SecretData(source.SecretName!)?.ContainsKey(source.SecretKey!) == true,
            $"Gateway__AdminKey names Secret {source.SecretName} key {source.SecretKey}, which is not rendered.");
    }
}
