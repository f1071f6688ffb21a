using System.Text;
using Vigil.Lineage.Callbacks;

namespace Vigil.Lineage.UnitTests.Callbacks;

public sealed class CallbackSigningTests
{
    [Fact]
    public void The_signature_is_the_hmac_sha256_of_the_body_and_verifies_only_that_body_under_that_secret()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"run.completed"}""");

        var signature = CallbackSignature.Compute("s3cret", body);

        // RFC 4231-style check against .NET's HMAC, computed independently of the helper.
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("s3cret"));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(body)), signature);
        Assert.True(CallbackSignature.Verify("s3cret", body, signature));
        Assert.False(CallbackSignature.Verify("other", body, signature));
        Assert.False(CallbackSignature.Verify("s3cret", Encoding.UTF8.GetBytes("""{"event":"run.failed"}"""), signature));
        Assert.False(CallbackSignature.Verify("s3cret", body, null));
    }

    [Fact]
    public void Retries_wait_twice_as_long_each_time_up_to_the_cap_and_stop_after_the_last_attempt()
    {
        var first = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromSeconds(10);

        var delays = Enumerable.Range(1, 5).Select(a => CallbackBackoff.DelayAfter(a, maxAttempts: 5, first, max)).ToList();

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), null], delays);
    }

    [Fact]
    public void A_dataset_secret_wins_over_the_shared_one_and_without_either_there_is_none()
    {
        var options = new Vigil.ServiceDefaults.Callbacks.CallbackOptions { SigningSecret = "shared", DatasetSecrets = { ["sales.orders"] = "own" } };

        Assert.Equal("own", options.SecretFor("sales.orders"));
        Assert.Equal("shared", options.SecretFor("banking.transactions"));
        Assert.Null(new Vigil.ServiceDefaults.Callbacks.CallbackOptions().SecretFor("sales.orders"));
    }
}
