using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Vigil.ObjectStore;

/// <summary>The command line: the same options the s3rver launcher took, so the AppHost passes what it always did.</summary>
public sealed partial record StoreOptions(int Port, IPAddress Address, string DataDirectory, IReadOnlyList<string> Buckets, string AccessKey,
    bool LogRequests, int? ParentPid, bool DirectIo = true)
{
    public static StoreOptions Parse(string[] args)
    {
        var port = 9000;
        var address = IPAddress.Loopback;
        var data = Path.Combine(".vigil", "objectstore");
        var buckets = new List<string>();
        var bucketGiven = false;
        var accessKey = Environment.GetEnvironmentVariable("OBJECTSTORE_ACCESS_KEY") is { Length: > 0 } fromEnvironment ? fromEnvironment : "vigil";
        var logRequests = false;
        int? parent = null;
        var directIo = true;

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--log-requests")
            {
                logRequests = true;
                continue;
            }
            if (name == "--no-direct-io")
            {
                directIo = false;
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            var value = args[++i];
            switch (name)
            {
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                        throw new ArgumentException($"--port must be a TCP port number, got '{value}'.");
                    break;
                case "--address":
                    address = ParseLoopback(value);
                    break;
                case "--data-dir":
                    data = value;
                    break;
                case "--bucket":
                    bucketGiven = true;
                    if (value.Length == 0) break;
                    if (!BucketName().IsMatch(value)) throw new ArgumentException($"'{value}' is not a valid S3 bucket name.");
                    buckets.Add(value);
                    break;
                case "--access-key":
                    accessKey = value;
                    break;
                case "--parent-pid":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                        throw new ArgumentException($"--parent-pid must be a process id, got '{value}'.");
                    parent = pid;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if (!bucketGiven) buckets.Add("vigil");
        return new StoreOptions(port, address, Path.GetFullPath(data), buckets, accessKey, logRequests, parent, directIo);
    }

    public static bool IsBucketName(string name) => BucketName().IsMatch(name);

    /// <summary>The store checks no signatures, so it must never be reachable from another machine.</summary>
    private static IPAddress ParseLoopback(string value)
    {
        var address = value == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(value, out var parsed) ? parsed : null;
        if (address is null || !IPAddress.IsLoopback(address))
            throw new ArgumentException($"--address must be a loopback address (the store does not verify signatures), got '{value}'.");
        return address;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
