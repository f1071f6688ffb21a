using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class SecretFileTests
{
    [Fact]
    public async Task A_secret_file_is_created_readable_by_its_owner_only()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "rabbitmq.conf");

        await SecretFile.WriteAsync(path, "default_pass = s3cret\n");

        Assert.Equal("default_pass = s3cret\n", await File.ReadAllTextAsync(path));
        Assert.Equal(SecretFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_secret_file_left_world_readable_by_an_earlier_run_is_narrowed_and_rewritten()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "redis.conf");
        await File.WriteAllTextAsync(path, "requirepass old-and-longer-than-the-new-one\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        await SecretFile.WriteAsync(path, "requirepass new\n");

        Assert.Equal("requirepass new\n", await File.ReadAllTextAsync(path));
        Assert.Equal(SecretFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_generated_secret_found_with_a_wider_mode_is_narrowed_when_read()
    {
        using var folder = new TempDirectory();
        var first = GeneratedSecret.GetOrCreate(folder.Path, "password");
        File.SetUnixFileMode(Path.Combine(folder.Path, "password"), (UnixFileMode)0b110_100_100);

        Assert.Equal(first, GeneratedSecret.GetOrCreate(folder.Path, "password"));
        Assert.Equal(SecretFile.OwnerOnly, File.GetUnixFileMode(Path.Combine(folder.Path, "password")));
    }
}
