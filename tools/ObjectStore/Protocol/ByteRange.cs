using System.Globalization;

namespace Vigil.ObjectStore.Protocol;

/// <summary>A single byte range of a GET (<c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>), resolved against the object's length.</summary>
public readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>
    /// The range a <c>Range</c> header asks for; null when there is none or it is not a single byte range (the whole
    /// object is served, as S3 does). A range that starts past the end cannot be satisfied: 416 InvalidRange.
    /// </summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',')) return null;
        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw Unsatisfiable(size);
            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        var end = size - 1;
        if (!last.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start) return null;
            end = Math.Min(end, size - 1);
        }
        if (start >= size) throw Unsatisfiable(size);
        return new ByteRange(start, end - start + 1);
    }

    public string ContentRange(long size) => string.Create(CultureInfo.InvariantCulture, $"bytes {Start}-{Start + Length - 1}/{size}");

    private static S3Exception Unsatisfiable(long size) =>
        new(416, "InvalidRange", string.Create(CultureInfo.InvariantCulture, $"The requested range is not satisfiable (the object has {size} bytes)."));
}
