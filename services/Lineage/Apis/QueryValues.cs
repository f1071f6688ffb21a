using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Lineage.Apis;

/// <summary>Query-string values that need a clearer answer than a binding failure: instants and dates.</summary>
internal static class QueryValues
{
    /// <summary>An ISO 8601 instant or date; without an offset it is UTC. Absent is fine (null).</summary>
    public static bool TryParseInstant(string? value, string name, out DateTimeOffset? instant, out ProblemHttpResult problem)
    {
        instant = null;
        problem = null!;
        if (value is null) return true;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            instant = parsed;
            return true;
        }
        problem = Invalid(name, value, "an ISO 8601 date or time, e.g. 2026-11-20 or 2026-11-20T10:00:00Z");
        return false;
    }

    /// <summary>An ISO 8601 date (yyyy-MM-dd). Absent is fine (null).</summary>
    public static bool TryParseDate(string? value, string name, out DateOnly? date, out ProblemHttpResult problem)
    {
        date = null;
        problem = null!;
        if (value is null) return true;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }
        problem = Invalid(name, value, "a date as yyyy-MM-dd, e.g. 2026-11-20");
        return false;
    }

    private static ProblemHttpResult Invalid(string name, string value, string expected) =>
        ApiProblem.InvalidParameter(name, $"{name} '{value}' is not {expected}.");
}
