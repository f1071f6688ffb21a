using Vigil.Gateway.Access;

namespace Vigil.Gateway.UnitTests;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generated_key_parses_back_to_its_id_and_secret_and_matches_its_hash()
    {
        var (id, secret, key) = ApiKeyFormat.Generate();

        Assert.True(ApiKeyFormat.TryParse(key, out var parsedId, out var parsedSecret));
        Assert.Equal((id, secret), (parsedId, parsedSecret));
        Assert.True(ApiKeyFormat.Matches(id, secret, ApiKeyFormat.Hash(id, secret)));
    }

    [Fact]
    public void Hash_is_bound_to_the_id()
    {
        var (id, secret, _) = ApiKeyFormat.Generate();
        var (otherId, _, _) = ApiKeyFormat.Generate();

        Assert.False(ApiKeyFormat.Matches(otherId, secret, ApiKeyFormat.Hash(id, secret)));
    }

    [Fact]
    public void Two_generated_keys_differ()
    {
        Assert.NotEqual(ApiKeyFormat.Generate().Key, ApiKeyFormat.Generate().Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vgl_")]
    [InlineData("abc_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("vgl_0123456789abcdef")]
    [InlineData("vgl_0123456789ABCDEF_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("vgl_0123456789abcdef_0123456789abcdef")]
    [InlineData("vgl_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef_x")]
    public void Malformed_keys_do_not_parse(string? key) =>
        Assert.False(ApiKeyFormat.TryParse(key, out _, out _));
}
