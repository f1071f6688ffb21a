using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class GeneratedSecretTests
{
    [Fact]
    public void A_secret_is_generated_once_kept_readable_only_by_its_owner_and_read_back_afterwards()
    {
        using var folder = new TempDirectory();

        var first = GeneratedSecret.GetOrCreate(folder.Path, "password");
        var second = GeneratedSecret.GetOrCreate(folder.Path, "password");

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Path, "password")));
    }

    [Fact]
    public void Two_secrets_differ()
    {
        using var folder = new TempDirectory();

        Assert.NotEqual(GeneratedSecret.GetOrCreate(folder.Path, "a"), GeneratedSecret.GetOrCreate(folder.Path, "b"));
    }
}
