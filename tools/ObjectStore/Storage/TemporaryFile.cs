using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;
using Vigil.DirectFiles;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// A file written beside its target under a temporary name (<c>name.&lt;32 hex&gt;.partial</c>) and renamed into place
/// only when complete, so a reader or a restart after a kill sees the previous version or the new one, never a mix.
/// Disposed without <see cref="Commit"/>, it is deleted. Bodies are written with direct I/O when asked and possible
/// (<see cref="DirectWriter"/>).
/// </summary>
public sealed partial class TemporaryFile : IDisposable
{
    private readonly string _target;
    private readonly DirectWriter _writer;
    private bool _committed;

    private TemporaryFile(string target, bool direct)
    {
        _target = target;
        Path = $"{target}.{Guid.NewGuid():N}.partial";
        Handle = File.OpenHandle(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _writer = new DirectWriter(Handle, direct);
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    public long Length => _writer.Length;

    /// <summary>Where bodies are written (<see cref="BodyCopy"/>).</summary>
    public DirectWriter Writer => _writer;

    /// <param name="direct">Write with direct I/O where the file system allows it (object bodies; not small files).</param>
    public static TemporaryFile Beside(string target, bool direct = false) => new(target, direct);

    /// <summary>Whether a file name is one of these temporary files (never listed or served; removed at start).</summary>
    public static bool IsTemporary(string fileName) => TemporaryName().IsMatch(fileName);

    public void Write(ReadOnlySpan<byte> bytes) => _writer.Write(bytes);

    /// <summary>
    /// Appends a whole file (a multipart upload's part): with direct I/O on both sides while this file is direct (so no
    /// byte passes through the page cache), otherwise copied by the kernel where it can.
    /// </summary>
    public void Append(string source)
    {
        using var input = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        if (_writer.IsDirect) _writer.Append(input);
        else _writer.Advance(FileCopy.Append(input, Handle, Length));
    }

    /// <summary>Closes the file (its bytes are then with the operating system) and renames it over the target.</summary>
    public void Commit()
    {
        Handle.Dispose();
        File.Move(Path, _target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Handle.Dispose();
        if (!_committed) File.Delete(Path);
    }

    /// <summary>Writes a small file whole (metadata, part digests) the same way.</summary>
    public static void WriteAllBytes(string target, ReadOnlySpan<byte> bytes)
    {
        using var file = Beside(target);
        file.Write(bytes);
        file.Commit();
    }

    /// <summary>Deletes the temporary files a killed process left anywhere under <paramref name="root"/>; returns how many.</summary>
    public static int RemoveLeftovers(string root)
    {
        var removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(root, "*.partial", options))
        {
            if (!IsTemporary(System.IO.Path.GetFileName(file))) continue;
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    [GeneratedRegex(@"\.[0-9a-f]{32}\.partial$")]
    private static partial Regex TemporaryName();
}
