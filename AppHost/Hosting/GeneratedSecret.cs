using System.Security.Cryptography;

namespace Vigil.AppHost.Hosting;

/// <summary>
/// Passwords for local servers are generated on first start and kept in the resource's git-ignored data folder,
/// like Aspire's generated parameters: nothing secret lives in the repository.
/// </summary>
internal static class GeneratedSecret
{
    public static string GetOrCreate(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
