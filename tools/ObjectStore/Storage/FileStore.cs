using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Vigil.DirectFiles;
using Vigil.ObjectStore.Protocol;

namespace Vigil.ObjectStore.Storage;

/// <summary>
/// Buckets and objects as plain files: <c>&lt;root&gt;/&lt;bucket&gt;/&lt;key&gt;</c> (a '/' in a key is a folder), metadata in
/// <c>&lt;root&gt;/.metadata/&lt;bucket&gt;/&lt;key&gt;</c>. Bodies are streamed to disk while their MD5 is computed, so memory
/// does not grow with object size.
/// </summary>
/// <param name="directIo">Object bodies written and read with direct I/O where the file system allows (<see cref="Vigil.DirectFiles.DirectIo"/>).</param>
public sealed class FileStore(string root, bool directIo = false)
{
    public string Root { get; } = root;

    public bool DirectIo { get; } = directIo;

    public bool BucketExists(string bucket) => StoreOptions.IsBucketName(bucket) && Directory.Exists(Path.Combine(Root, bucket));

    /// <summary>Creates the bucket; true when it is new.</summary>
    public bool CreateBucket(string bucket)
    {
        if (!StoreOptions.IsBucketName(bucket)) throw new S3Exception(400, "InvalidBucketName", $"'{bucket}' is not a valid bucket name.");
        var exists = BucketExists(bucket);
        Directory.CreateDirectory(Path.Combine(Root, bucket));
        return !exists;
    }

    public void DeleteBucket(string bucket)
    {
        RequireBucket(bucket);
        if (Directory.EnumerateFileSystemEntries(Path.Combine(Root, bucket)).Any())
            throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.");
        Directory.Delete(Path.Combine(Root, bucket));
        var metadata = Path.Combine(Root, ".metadata", bucket);
        if (Directory.Exists(metadata)) Directory.Delete(metadata, recursive: true);
    }

    public IEnumerable<(string Name, DateTime Created)> Buckets() =>
        new DirectoryInfo(Root).EnumerateDirectories().Where(d => StoreOptions.IsBucketName(d.Name)).OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => (d.Name, d.CreationTimeUtc));

    public void RequireBucket(string bucket)
    {
        if (!BucketExists(bucket)) throw S3Exception.NoSuchBucket(bucket);
    }

    public string ObjectPath(string bucket, string key) => Path.Combine(Root, bucket, RelativePath(key));

    private string MetadataPath(string bucket, string key) => Path.Combine(Root, ".metadata", bucket, RelativePath(key));

    /// <summary>Streams <paramref name="body"/> into the object, replacing any previous version only once it is whole.</summary>
    public async Task<ObjectMetadata> PutAsync(string bucket, string key, Stream body, ObjectMetadata headers, long? expectedLength,
        CancellationToken cancellationToken)
    {
        RequireBucket(bucket);
        var target = ObjectPath(bucket, key);
        PrepareFolder(target);
        using var file = TemporaryFile.Beside(target, DirectIo);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await BodyCopy.ToFileAsync(body, file.Writer, md5, long.MaxValue, cancellationToken);
        if (expectedLength is { } expected && expected != file.Length)
            throw new S3Exception(400, "IncompleteBody", $"The body had {file.Length} bytes, not the {expected} announced.");
        var metadata = headers with { ETag = Convert.ToHexStringLower(md5.GetHashAndReset()), Size = file.Length };
        file.Commit();
        WriteMetadata(bucket, key, metadata);
        return metadata;
    }

    /// <summary>Writes an object from files (the parts of a multipart upload), copied once into place.</summary>
    public void Assemble(string bucket, string key, IReadOnlyList<string> parts, ObjectMetadata metadata)
    {
        RequireBucket(bucket);
        var target = ObjectPath(bucket, key);
        PrepareFolder(target);
        using var file = TemporaryFile.Beside(target, DirectIo);
        foreach (var part in parts) file.Append(part);
        metadata = metadata with { Size = file.Length };
        file.Commit();
        WriteMetadata(bucket, key, metadata);
    }

    /// <summary>Opens an object for reading: its handle (the caller disposes it), length and metadata.</summary>
    public (SafeFileHandle Handle, long Length, ObjectMetadata Metadata, DateTime LastModified) Open(string bucket, string key)
    {
        RequireBucket(bucket);
        var path = ObjectPath(bucket, key);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            throw S3Exception.NoSuchKey();
        }
        try
        {
            var length = RandomAccess.GetLength(handle);
            return (handle, length, ReadMetadata(bucket, key, handle, length), File.GetLastWriteTimeUtc(path));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Deletes an object and its metadata (nothing when it does not exist), and folders it leaves empty.</summary>
    public void Delete(string bucket, string key)
    {
        RequireBucket(bucket);
        var path = ObjectPath(bucket, key);
        if (Directory.Exists(path)) return; // a "folder" of other keys, not an object
        File.Delete(path);
        File.Delete(MetadataPath(bucket, key));
        RemoveEmptyFolders(Path.GetDirectoryName(path)!, Path.Combine(Root, bucket));
        RemoveEmptyFolders(Path.GetDirectoryName(MetadataPath(bucket, key))!, Path.Combine(Root, ".metadata", bucket));
    }

    /// <summary>Every key under <paramref name="prefix"/> in S3's (ordinal) order, with its size and last write.</summary>
    public List<(string Key, long Size, DateTime LastModified)> Keys(string bucket, string prefix)
    {
        RequireBucket(bucket);
        var bucketFolder = Path.Combine(Root, bucket);
        var folderPart = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..(slash + 1)] : "";
        var keys = new List<(string, long, DateTime)>();
        Walk(new DirectoryInfo(Path.Combine(bucketFolder, folderPart.Replace('/', Path.DirectorySeparatorChar))), folderPart, prefix, keys);
        keys.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return keys;
    }

    /// <summary>The ETag of a listed object, from its metadata ("" when that is missing).</summary>
    public string ListedETag(string bucket, string key, long size)
    {
        var metadata = TryReadMetadata(bucket, key);
        return metadata is not null && metadata.Size == size ? metadata.ETag : "";
    }

    private static void Walk(DirectoryInfo folder, string keyPrefix, string prefix, List<(string, long, DateTime)> keys)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = folder.EnumerateFileSystemInfos().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return; // removed while listing, or the prefix names no folder
        }
        foreach (var entry in entries)
        {
            var key = keyPrefix + entry.Name;
            if (entry is DirectoryInfo directory)
            {
                var asFolder = key + "/";
                if (asFolder.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(asFolder, StringComparison.Ordinal))
                    Walk(directory, asFolder, prefix, keys);
            }
            else if (entry is FileInfo file && key.StartsWith(prefix, StringComparison.Ordinal) && !TemporaryFile.IsTemporary(entry.Name))
            {
                try
                {
                    keys.Add((key, file.Length, file.LastWriteTimeUtc));
                }
                catch (FileNotFoundException)
                {
                    // Deleted while listing.
                }
            }
        }
    }

    private void WriteMetadata(string bucket, string key, ObjectMetadata metadata)
    {
        var path = MetadataPath(bucket, key);
        PrepareFolder(path);
        TemporaryFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(metadata, StoreJson.Default.ObjectMetadata));
    }

    private ObjectMetadata? TryReadMetadata(string bucket, string key)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(MetadataPath(bucket, key)), StoreJson.Default.ObjectMetadata);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The object's metadata; when it is missing or belongs to another version (a kill between the object's rename and
    /// its metadata's), the bytes are served as application/octet-stream with their MD5 computed now.
    /// </summary>
    private ObjectMetadata ReadMetadata(string bucket, string key, SafeFileHandle handle, long length)
    {
        if (TryReadMetadata(bucket, key) is { } metadata && metadata.Size == length) return metadata;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using (var chunks = new FileChunks(handle, 0, length, direct: false))
        {
            for (var chunk = chunks.Next(); !chunk.IsEmpty; chunk = chunks.Next()) md5.AppendData(chunk.Span);
        }
        return new ObjectMetadata { ETag = Convert.ToHexStringLower(md5.GetHashAndReset()), Size = length };
    }

    /// <summary>Creates the folders a key needs; a key that runs through another object ("a" and "a/b") is refused.</summary>
    private static void PrepareFolder(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException)
        {
            throw S3Exception.InvalidArgument("The key runs through an existing object (keys 'a' and 'a/b' cannot both exist in this store).");
        }
        if (Directory.Exists(path))
            throw S3Exception.InvalidArgument("The key is a folder of other keys ('a/b' exists, so 'a' cannot be an object in this store).");
    }

    private static void RemoveEmptyFolders(string folder, string stopAt)
    {
        while (folder.Length > stopAt.Length && folder.StartsWith(stopAt, StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(folder); // only succeeds when empty
            }
            catch (IOException)
            {
                return;
            }
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    /// <summary>A key as a relative path; keys that could not be a plain file path under the bucket are refused.</summary>
    private static string RelativePath(string key)
    {
        if (key.Length == 0 || Encoding.UTF8.GetByteCount(key) > 1024) throw new S3Exception(400, "KeyTooLongError", "A key must have 1 to 1024 bytes.");
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or ".." || segment.Contains('\0') || TemporaryFile.IsTemporary(segment) || Encoding.UTF8.GetByteCount(segment) > 255)
                throw S3Exception.InvalidArgument($"This store keeps keys as file paths: '{key}' has an empty, '.', '..' or over-long segment, or a reserved name.");
        }
        return Path.DirectorySeparatorChar == '/' ? key : key.Replace('/', Path.DirectorySeparatorChar);
    }
}
