using Vigil.Gateway.Access;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.UnitTests;

public sealed class AccessOptionsTests
{
    private static readonly AccessOptionsValidator Validator = new();

    [Fact]
    public void Defaults_are_valid_and_cache_keys_for_five_seconds()
    {
        var options = new AccessOptions();

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(5), options.KeyCacheDuration);
    }

    [Theory]
    [InlineData("changeme")]
    [InlineData("                              ")]
    public void Short_admin_key_fails_the_start(string adminKey) =>
        Assert.Contains("AdminKey", Validator.Validate(null, new AccessOptions { AdminKey = adminKey }).FailureMessage);

    [Fact]
    public void Long_key_cache_fails_the_start() =>
        Assert.Contains("KeyCacheDuration", Validator.Validate(null, new AccessOptions { KeyCacheDuration = TimeSpan.FromMinutes(5) }).FailureMessage);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 0)]
    public void Empty_rate_limit_fails_the_start(int capacity, double refill) =>
        Assert.Contains("RateLimit", Validator.Validate(null, new AccessOptions { RateLimit = new TokenBucketSettings { Capacity = capacity, RefillPerSecond = refill } }).FailureMessage);
}
