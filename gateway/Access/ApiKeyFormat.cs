using System.Security.Cryptography;
using System.Text;

namespace Vigil.Gateway.Access;

/// <summary>
/// An API key reads <c>vgl_&lt;id&gt;_&lt;secret&gt;</c>: the id (16 hex digits) names the key in logs and in the admin API,
/// the secret (64 hex digits, 256 random bits) is shown once and stored only as a SHA-256 hash bound to the id.
/// A keyed hash would add nothing here: the secret is random and long, so its hash cannot be brute-forced.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "vgl_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;

    public static (string Id, string Secret, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = "";
        secret = "";
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key[Prefix.Length..].Split('_');
        if (parts.Length != 2 || !IsLowerHex(parts[0], IdBytes * 2) || !IsLowerHex(parts[1], SecretBytes * 2))
        {
            return false;
        }

        (id, secret) = (parts[0], parts[1]);
        return true;
    }

    public static byte[] Hash(string id, string secret) => SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:{secret}"));

    /// <summary>True when <paramref name="secret"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Matches(string id, string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(id, secret), storedHash);

    public static bool IsValidId(string? id) => id is not null && IsLowerHex(id, IdBytes * 2);

    private static bool IsLowerHex(string value, int length) =>
        value.Length == length && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
