namespace Vigil.ObjectStore.Apis;

/// <summary>One page of a listing: keys after a marker, folded into common prefixes at the delimiter, at most max-keys entries.</summary>
public sealed record ListingPage(List<(string Key, long Size, DateTime LastModified)> Objects, List<string> CommonPrefixes, bool Truncated, string? Last)
{
    public static ListingPage Of(List<(string Key, long Size, DateTime LastModified)> sortedKeys, string prefix, string? delimiter, string after, int maxKeys)
    {
        var objects = new List<(string, long, DateTime)>();
        var prefixes = new List<string>();
        string? last = null;
        var count = 0;
        foreach (var entry in sortedKeys)
        {
            if (after.Length > 0 && string.CompareOrdinal(entry.Key, after) <= 0) continue;
            // A page that ended on a common prefix continues after every key under it.
            if (delimiter is not null && after.Length > 0 && after.EndsWith(delimiter, StringComparison.Ordinal) && entry.Key.StartsWith(after, StringComparison.Ordinal)) continue;
            var common = CommonPrefix(entry.Key, prefix, delimiter);
            if (common is not null && common == last) continue;
            if (count == maxKeys) return new ListingPage(objects, prefixes, last is not null, last);
            if (common is not null) prefixes.Add(common);
            else objects.Add(entry);
            last = common ?? entry.Key;
            count++;
        }
        return new ListingPage(objects, prefixes, false, last);
    }

    private static string? CommonPrefix(string key, string prefix, string? delimiter)
    {
        if (delimiter is null) return null;
        var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + delimiter.Length)];
    }
}
