namespace Vigil.Validation.Schema;

/// <summary>How alike two column names are, for rename detection.</summary>
internal static class NameSimilarity
{
    /// <summary>Lower-case letters and digits only: <c>customerId</c>, <c>Customer_ID</c> and <c>customer-id</c> are one name.</summary>
    public static string Normalise(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    /// <summary>Levenshtein distance (insert, delete, substitute) of the lower-cased names.</summary>
    public static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// Close names: at most <paramref name="maxEdits"/> edits apart, and fewer edits than the shorter name is long
    /// (so that <c>a</c> and <c>b</c>, or <c>id</c> and <c>no</c>, do not count as alike).
    /// </summary>
    public static bool AreClose(string a, string b, int maxEdits)
    {
        var distance = EditDistance(a, b);
        return distance <= maxEdits && distance < Math.Min(a.Length, b.Length);
    }
}
