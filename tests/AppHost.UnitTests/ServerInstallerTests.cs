using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class ServerInstallerTests
{
    [Fact]
    public void A_versioned_package_folder_is_searched_highest_version_first()
    {
        using var root = new TempDirectory();
        foreach (var version in new[] { "15", "16" })
        {
            var bin = Directory.CreateDirectory(Path.Combine(root.Path, "postgresql", version, "bin")).FullName;
            File.WriteAllText(Path.Combine(bin, "vigil-test-server"), "");
        }

        var found = ServerInstaller.Find("vigil-test-server", [Path.Combine(root.Path, "postgresql", "*", "bin")]);

        Assert.Equal(Path.Combine(root.Path, "postgresql", "16", "bin", "vigil-test-server"), found);
    }

    [Fact]
    public void A_binary_that_is_nowhere_is_not_found()
    {
        using var root = new TempDirectory();

        Assert.Null(ServerInstaller.Find($"vigil-missing-{Guid.NewGuid():n}", [Path.Combine(root.Path, "*", "bin")]));
    }
}
