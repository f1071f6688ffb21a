using System.Net;
using Vigil.ServiceDefaults.Callbacks;

namespace Vigil.ServiceDefaults.UnitTests.Callbacks;

public sealed class CallbackUrlPolicyTests
{
    private static readonly CallbackUrlPolicy Default = new([]);

    [Theory]
    [InlineData("https://hooks.example.com/vigil?token=abc")]
    [InlineData("http://203.0.113.9:8080/done")]
    [InlineData("http://[2001:db8::1]/done")]
    public void Public_http_and_https_urls_are_accepted(string url)
    {
        Assert.Null(Default.Check(url, out var parsed));
        Assert.NotNull(parsed);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/x", "scheme 'ftp'")]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("hooks.example.com/x", "not an absolute")]
    [InlineData("/hook", "not an absolute")]
    [InlineData("https://u:p@hooks.example.com/x", "credentials")]
    [InlineData("http://127.0.0.1/x", "loopback")]
    [InlineData("http://127.8.9.10/x", "loopback")]
    [InlineData("http://localhost/x", "loopback")]
    [InlineData("http://api.localhost/x", "loopback")]
    [InlineData("http://[::1]/x", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]/x", "loopback")]
    [InlineData("http://169.254.169.254/latest", "link-local")]
    [InlineData("http://[fe80::1]/x", "link-local")]
    [InlineData("http://10.0.0.5/x", "private")]
    [InlineData("http://172.16.0.1/x", "private")]
    [InlineData("http://172.31.255.255/x", "private")]
    [InlineData("http://192.168.1.1/x", "private")]
    [InlineData("http://[fd00::1]/x", "private")]
    [InlineData("http://100.64.0.1/x", "CGNAT")]
    [InlineData("http://0.0.0.0/x", "unspecified")]
    [InlineData("http://224.0.0.1/x", "multicast")]
    public void Other_schemes_credentials_and_internal_addresses_are_refused_saying_why(string url, string reason)
    {
        var refused = Default.Check(url, out var parsed);

        Assert.NotNull(refused);
        Assert.Contains(reason, refused);
        Assert.Null(parsed);
    }

    [Fact]
    public void Neighbours_of_the_private_ranges_stay_public()
    {
        Assert.Null(Default.Check("http://172.32.0.1/x", out _));
        Assert.Null(Default.Check("http://192.169.0.1/x", out _));
        Assert.Null(Default.Check("http://100.128.0.1/x", out _));
    }

    [Fact]
    public void The_allow_list_admits_named_hosts_addresses_and_ranges_and_nothing_else()
    {
        var policy = new CallbackUrlPolicy(["127.0.0.1", "localhost", "10.20.0.0/16", "hooks.internal"]);

        Assert.Null(policy.Check("http://127.0.0.1:5000/x", out _));
        Assert.Null(policy.Check("http://localhost:5000/x", out _));
        Assert.Null(policy.Check("http://10.20.3.4/x", out _));
        Assert.Null(policy.CheckAddress(IPAddress.Parse("10.20.255.1")));
        Assert.True(policy.IsAllowedName("hooks.internal"));
        Assert.Contains("private", policy.Check("http://10.21.0.1/x", out _));
        Assert.Contains("loopback", policy.Check("http://127.0.0.2/x", out _));
        Assert.Contains("scheme", policy.Check("ftp://127.0.0.1/x", out _));
    }

    [Fact]
    public void Resolved_addresses_are_judged_like_literal_ones()
    {
        Assert.Contains("loopback", Default.CheckAddress(IPAddress.Parse("127.0.0.1")));
        Assert.Contains("link-local", Default.CheckAddress(IPAddress.Parse("169.254.1.1")));
        Assert.Null(Default.CheckAddress(IPAddress.Parse("93.184.216.34")));
    }
}
