using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Dashboard.Extensions;

namespace Vigil.Dashboard.UnitTests;

/// <summary>Dashboard:KeysDirectory: the cookie's key ring lives on disk there, so a second process can read what the first protected.</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("vigil-dashboard-keys-");

    [Fact]
    public void A_key_ring_in_the_keys_directory_is_shared_by_a_restarted_process()
    {
        using var first = Build(_keys.FullName);
        var cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed-in");

        Assert.NotEmpty(_keys.EnumerateFiles("key-*.xml"));
        using var second = Build(_keys.FullName);
        Assert.Equal("signed-in", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie));
    }

    public void Dispose() => _keys.Delete(recursive: true);

    private static WebApplication Build(string? keysDirectory)
    {
        var builder = WebApplication.CreateBuilder();
        if (keysDirectory is not null) builder.Configuration["Dashboard:KeysDirectory"] = keysDirectory;
        builder.AddDashboardServices();
        return builder.Build();
    }
}
