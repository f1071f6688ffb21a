namespace Vigil.AppHost.Resources;

/// <summary>
/// Writes a file that holds a secret (a server config with its password, a key) readable by its owner only: created
/// with mode 0600, so no moment exists where it is world-readable, and narrowed to 0600 when an earlier run left it wider.
/// </summary>
public static class SecretFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path)) File.SetUnixFileMode(path, OwnerOnly);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }
        File.SetUnixFileMode(path, OwnerOnly);
    }

    public static void Write(string path, string content)
    {
        if (File.Exists(path)) File.SetUnixFileMode(path, OwnerOnly);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.SetUnixFileMode(path, OwnerOnly);
    }
}
