using Vigil.AppHost.Hosting;

namespace Vigil.AppHost.UnitTests.Support;

public static class Builders
{
    /// <summary>A builder whose data folder is a path the test owns; declaring resources starts nothing.</summary>
    public static DistributedApplicationBuilder Create(TempDirectory temp) =>
        DistributedApplication.CreateBuilder(["--data-dir", temp.Combine("data")]);
}
