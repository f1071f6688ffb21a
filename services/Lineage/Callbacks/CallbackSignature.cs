using System.Security.Cryptography;
using System.Text;

namespace Vigil.Lineage.Callbacks;

/// <summary>
/// The signature a receiver checks: <c>X-Vigil-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the exact body
/// bytes under the dataset's secret. Compare it in constant time.
/// </summary>
public static class CallbackSignature
{
    public const string Header = "X-Vigil-Signature";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();

    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, body)), Encoding.ASCII.GetBytes(header));
}
