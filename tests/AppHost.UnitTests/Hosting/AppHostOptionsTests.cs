using Vigil.AppHost.Hosting;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting;

/// <summary>Options as parsed by <c>AppHostOptions.FromArgs</c>, reached through <see cref="DistributedApplication.CreateBuilder"/>.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class AppHostOptionsTests : IDisposable
{
    private const string DataDirVariable = "VIGIL_DATA_DIR";
    private readonly TempDirectory _temp = new();
    private readonly string? _savedDataDir = Environment.GetEnvironmentVariable(DataDirVariable);

    public AppHostOptionsTests() => Environment.SetEnvironmentVariable(DataDirVariable, null);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DataDirVariable, _savedDataDir);
        _temp.Dispose();
    }

    private static AppHostOptions Parse(params string[] args) => DistributedApplication.CreateBuilder(args).Options;

    [Fact]
    public void Data_dir_argument_sets_the_data_directory()
    {
        var options = Parse("--data-dir", _temp.Combine("data"));

        Assert.Equal(_temp.Combine("data"), options.DataDirectory);
    }

    [Fact]
    public void Relative_data_dir_is_made_absolute_against_the_working_directory()
    {
        var options = Parse("--data-dir", Path.Combine("some", "data"));

        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "some", "data"), options.DataDirectory);
    }

    [Fact]
    public void Without_data_dir_the_data_directory_is_dot_vigil_at_the_repository_root()
    {
        var options = Parse();

        Assert.Equal(Path.Combine(options.RepositoryRoot, ".vigil"), options.DataDirectory);
    }

    [Fact]
    public void VIGIL_DATA_DIR_is_used_when_no_data_dir_argument_is_given()
    {
        Environment.SetEnvironmentVariable(DataDirVariable, _temp.Combine("from-env"));

        Assert.Equal(_temp.Combine("from-env"), Parse().DataDirectory);
    }

    [Fact]
    public void Data_dir_argument_wins_over_VIGIL_DATA_DIR()
    {
        Environment.SetEnvironmentVariable(DataDirVariable, _temp.Combine("from-env"));

        Assert.Equal(_temp.Combine("from-args"), Parse("--data-dir", _temp.Combine("from-args")).DataDirectory);
    }

    [Fact]
    public void Data_dir_without_a_value_is_ignored()
    {
        var options = Parse("--data-dir");

        Assert.Equal(Path.Combine(options.RepositoryRoot, ".vigil"), options.DataDirectory);
    }

    [Fact]
    public void Free_ports_flag_turns_on_free_ports_only()
    {
        Assert.True(Parse("--free-ports").FreePortsOnly);
        Assert.False(Parse().FreePortsOnly);
    }

    [Fact]
    public void Flags_are_found_in_any_order_among_other_arguments()
    {
        var options = Parse("--urls", "http://x", "--free-ports", "--verbose", "--data-dir", _temp.Combine("data"));

        Assert.True(options.FreePortsOnly);
        Assert.Equal(_temp.Combine("data"), options.DataDirectory);
    }

    [Fact]
    public void Repository_root_is_the_folder_the_AppHost_was_built_in()
    {
        var options = Parse();

        Assert.True(File.Exists(Path.Combine(options.RepositoryRoot, "AppHost", "Vigil.AppHost.csproj")), options.RepositoryRoot);
    }

    [Fact]
    public void Parsing_options_creates_no_folder()
    {
        var options = Parse("--data-dir", _temp.Combine("never-created"));

        Assert.False(Directory.Exists(options.DataDirectory));
    }
}
