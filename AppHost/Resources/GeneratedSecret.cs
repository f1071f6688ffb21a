using System.Security.Cryptography;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Passwords and keys generated on first start and kept in a file (mode 0600) of the resource's git-ignored data
/// folder: nothing secret lives in the repository or on a command line the dashboard would show.
/// </summary>
public static class GeneratedSecret
{
    public static string GetOrCreate(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            // A copy restored or made by hand may have come back wider than the owner alone.
            File.SetUnixFileMode(path, SecretFile.OwnerOnly);
            return File.ReadAllText(path).Trim();
        }
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        SecretFile.Write(path, secret);
        return secret;
    }
}
