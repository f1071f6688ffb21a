using Vigil.Dashboard.Access;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.UnitTests;

public sealed class AccessTests
{
    [Theory]
    [InlineData("/ui/runs/1?decision=block", "/ui/runs/1?decision=block")]
    [InlineData("//evil.example/ui", "/ui/")]
    [InlineData("/\\evil.example", "/ui/")]
    [InlineData("https://evil.example/ui/", "/ui/")]
    [InlineData("/other/app", "/ui/")]
    [InlineData(null, "/ui/")]
    public void Return_addresses_stay_inside_the_dashboard(string? returnUrl, string expected)
    {
        Assert.Equal(expected, DashboardAuth.SafeReturnUrl(returnUrl, "/ui"));
    }

    [Fact]
    public void The_label_shown_for_a_key_never_contains_the_key()
    {
        const string key = "vk_0123456789abcdef0123456789abcdef";
        var label = ApiKeyAccessor.KeyLabel(key);

        Assert.DoesNotContain(key, label);
        Assert.EndsWith("cdef", label);
        Assert.Equal("key", ApiKeyAccessor.KeyLabel("short"));
    }

    [Fact]
    public void The_cookie_principal_carries_the_key_as_a_claim_and_only_its_label_as_the_name()
    {
        const string key = "vk_0123456789abcdef0123456789abcdef";
        var principal = ApiKeyAccessor.PrincipalFor(key);

        Assert.Equal(key, principal.FindFirst(ApiKeyAccessor.ClaimType)!.Value);
        Assert.DoesNotContain(key, principal.Identity!.Name);
        Assert.True(principal.Identity.IsAuthenticated);
    }

    [Theory]
    [InlineData(0.0123, "1.23 %")]
    [InlineData(null, "–")]
    public void Percentages_read_in_percent(double? rate, string expected) => Assert.Equal(expected, Format.Percent(rate));

    [Theory]
    [InlineData(12.0, "12 ms")]
    [InlineData(1500.0, "1.5 s")]
    [InlineData(90_000.0, "1.5 min")]
    public void Durations_pick_a_readable_unit(double ms, string expected) => Assert.Equal(expected, Format.Duration(ms));
}
