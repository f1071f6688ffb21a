using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class NextStepsTests
{
    [Fact]
    public void The_next_steps_name_the_gateway_the_dashboard_the_admin_key_and_the_quickstart()
    {
        var layout = new VigilLayout("/src/vigil", "/src/vigil/.vigil", "Debug", "net10.0");

        var block = ReadinessReport.NextSteps("http://localhost:5080", "http://localhost:18888", layout);

        Assert.Contains(ReadinessReport.NextStepsHeading, block, StringComparison.Ordinal);
        Assert.Contains("http://localhost:5080", block, StringComparison.Ordinal);
        Assert.Contains("http://localhost:5080/ui/", block, StringComparison.Ordinal);
        Assert.Contains("http://localhost:18888", block, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(".vigil", "gateway", "admin-key"), block, StringComparison.Ordinal);
        Assert.DoesNotContain("/src/vigil/.vigil", block, StringComparison.Ordinal);
        Assert.Contains("examples/quickstart.sh", block, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_folder_outside_the_repository_is_shown_by_its_full_path()
    {
        var layout = new VigilLayout("/src/vigil", "/var/lib/vigil-data", "Debug", "net10.0");

        var block = ReadinessReport.NextSteps("http://localhost:5080", null, layout);

        Assert.Contains("/var/lib/vigil-data/gateway/admin-key", block, StringComparison.Ordinal);
    }

    [Fact]
    public void The_quickstart_the_next_steps_name_is_in_the_repository()
    {
        var root = VigilLayout.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).RepositoryRoot;

        Assert.True(File.Exists(Path.Combine(root, ReadinessReport.QuickstartCommand)));
    }
}
