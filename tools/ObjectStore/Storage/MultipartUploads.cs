using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.DirectFiles;
using Vigil.ObjectStore.Protocol;

namespace Vigil.ObjectStore.Storage;

/// <summary>An upload begun and not yet completed or aborted: where its object goes and with which headers.</summary>
public sealed record PendingUpload(string Bucket, string Key, ObjectMetadata Headers);

/// <summary>
/// Multipart uploads under <c>&lt;root&gt;/.uploads/&lt;uploadId&gt;/</c>: <c>upload.json</c>, then each part as a file with its
/// MD5 beside it. Completing copies the named parts into the object once and removes the upload.
/// </summary>
public sealed class MultipartUploads(FileStore store)
{
    private readonly string _root = Path.Combine(store.Root, ".uploads");

    public string Initiate(string bucket, string key, ObjectMetadata headers)
    {
        store.RequireBucket(bucket);
        store.ObjectPath(bucket, key); // refuses a key the store cannot hold now rather than at completion
        var id = Guid.NewGuid().ToString("N");
        var folder = Directory.CreateDirectory(Path.Combine(_root, id)).FullName;
        TemporaryFile.WriteAllBytes(Path.Combine(folder, "upload.json"),
            JsonSerializer.SerializeToUtf8Bytes(new PendingUpload(bucket, key, headers), StoreJson.Default.PendingUpload));
        return id;
    }

    /// <summary>Stores one part (replacing an earlier upload of the same number); returns its MD5 hex.</summary>
    public async Task<string> UploadPartAsync(string bucket, string key, string uploadId, string partNumber, Stream body, long? expectedLength,
        CancellationToken cancellationToken)
    {
        var folder = Require(bucket, key, uploadId);
        if (!int.TryParse(partNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10_000)
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000.");
        var partPath = PartPath(folder, number);
        using var file = TemporaryFile.Beside(partPath, store.DirectIo);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await BodyCopy.ToFileAsync(body, file.Writer, md5, long.MaxValue, cancellationToken);
        var written = Convert.ToHexStringLower(md5.GetHashAndReset());
        if (expectedLength is { } expected && expected != file.Length)
            throw new S3Exception(400, "IncompleteBody", $"The body had {file.Length} bytes, not the {expected} announced.");
        file.Commit();
        // The digest after the part: a kill in between leaves a digest that does not match what the client was told, so
        // completion refuses the part rather than assembling stale bytes.
        TemporaryFile.WriteAllBytes(partPath + ".md5", Encoding.ASCII.GetBytes(written));
        return written;
    }

    /// <summary>Assembles the object from the listed parts (ascending numbers, ETags as uploaded); returns its metadata.</summary>
    public ObjectMetadata Complete(string bucket, string key, string uploadId, IReadOnlyList<(int Number, string ETag)> parts)
    {
        var folder = Require(bucket, key, uploadId);
        if (parts.Count == 0) throw new S3Exception(400, "MalformedXML", "A completed upload names at least one part.");
        var upload = ReadUpload(folder)!;
        var files = new List<string>(parts.Count);
        using var digests = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (var i = 0; i < parts.Count; i++)
        {
            var (number, etag) = parts[i];
            if (i > 0 && number <= parts[i - 1].Number) throw new S3Exception(400, "InvalidPartOrder", "Parts must be listed in ascending order.");
            var path = PartPath(folder, number);
            string stored;
            try
            {
                stored = File.ReadAllText(path + ".md5");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new S3Exception(400, "InvalidPart", $"Part {number} was not uploaded.");
            }
            if (!string.Equals(stored, etag.Trim('"'), StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
                throw new S3Exception(400, "InvalidPart", $"Part {number} does not have the ETag {etag}.");
            digests.AppendData(Convert.FromHexString(stored));
            files.Add(path);
        }
        var etagOfParts = $"{Convert.ToHexStringLower(digests.GetHashAndReset())}-{parts.Count.ToString(CultureInfo.InvariantCulture)}";
        var metadata = upload.Headers with { ETag = etagOfParts };
        store.Assemble(bucket, key, files, metadata);
        Directory.Delete(folder, recursive: true);
        return metadata;
    }

    public void Abort(string bucket, string key, string uploadId) => Directory.Delete(Require(bucket, key, uploadId), recursive: true);

    private string Require(string bucket, string key, string uploadId)
    {
        store.RequireBucket(bucket);
        // Only ids this store issues (32 hex digits), so an id can never name a path outside the uploads folder.
        if (uploadId.Length != 32 || !uploadId.All(char.IsAsciiHexDigitLower)) throw S3Exception.NoSuchUpload();
        var folder = Path.Combine(_root, uploadId);
        var upload = ReadUpload(folder);
        if (upload is null || upload.Bucket != bucket || upload.Key != key) throw S3Exception.NoSuchUpload();
        return folder;
    }

    private static PendingUpload? ReadUpload(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, "upload.json")), StoreJson.Default.PendingUpload);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private static string PartPath(string folder, int number) => Path.Combine(folder, number.ToString("D5", CultureInfo.InvariantCulture));
}
