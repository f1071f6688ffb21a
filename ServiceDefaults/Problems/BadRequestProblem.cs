using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Vigil.ServiceDefaults.Problems;

/// <summary>
/// Says what is wrong with a request that could not be bound to an endpoint's parameters, in the client's words: the
/// field (JSON path, query or route parameter) and, for a JSON body, the line and column. Never a .NET type or
/// exception name: those are translated ("an integer", "one of: warn, block").
/// </summary>
public static partial class BadRequestProblem
{
    /// <summary>
    /// The problem for a binding failure; its status is the exception's (400, or 415 for a body that is not JSON). With
    /// the <paramref name="endpoint"/> whose handler failed to bind, a property of an <c>[AsParameters]</c> request object
    /// is named as the client wrote it (see <see cref="BoundNames"/>).
    /// </summary>
    public static HttpValidationProblemDetails From(BadHttpRequestException exception, Endpoint? endpoint = null)
    {
        var parameter = ParameterName().Match(exception.Message) is { Success: true } m ? BoundNames.OnTheWire(m.Groups["name"].Value, endpoint) : null;
        var (field, message, line, column) = exception.InnerException is JsonException json
            ? DescribeJson(json)
            : DescribeParameter(exception.Message, parameter, exception.StatusCode);
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = exception.StatusCode,
            Title = exception.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : "The request is not valid",
            Detail = line is null ? message : $"{message} (line {line}, column {column})",
        };
        if (line is not null)
        {
            problem.Extensions["line"] = line;
            problem.Extensions["column"] = column;
        }
        return problem;
    }

    /// <summary>A JSON body that is malformed, has a value of the wrong type, or lacks a required field.</summary>
    public static (string Field, string Message, long? Line, long? Column) DescribeJson(JsonException e)
    {
        long? line = e.LineNumber is { } l ? l + 1 : null;
        long? column = e.BytePositionInLine is { } b ? b + 1 : null;
        var field = FieldOf(e.Path);
        if (MissingRequired().Match(e.Message) is { Success: true } missing)
        {
            var names = QuotedNames().Matches(missing.Groups["names"].Value).Select(n => n.Groups[1].Value).ToList();
            if (names.Count == 0) names = [missing.Groups["names"].Value.Trim()];
            var where = field == "body" ? "" : $" in '{field}'";
            return (names[0], names.Count == 1
                ? $"'{names[0]}' is required{where}."
                : $"{string.Join(", ", names.Select(n => $"'{n}'"))} are required{where}.", null, null);
        }
        if (ConvertedTo().Match(e.Message) is { Success: true } converted)
        {
            var typeName = converted.Groups["type"].Value;
            // A record bound through its constructor is named in place of the parameter's own type: look the property up.
            var expected = PropertyType(typeName, field) is { } property ? Expected(property) : Expected(typeName);
            return (field, $"'{field}' has a value of the wrong type: expected {expected}.", line, column);
        }
        // A syntax error: the reader's own sentence names the character; the positions are reported apart.
        var reason = Positions().Replace((e.InnerException ?? e).Message, "").Trim().TrimEnd('.');
        return (field, $"The body is not valid JSON: {reason}.", line, column);
    }

    private static (string Field, string Message, long? Line, long? Column) DescribeParameter(string message, string? parameter, int status)
    {
        if (status == StatusCodes.Status415UnsupportedMediaType)
            return ("body", "The body must be JSON: send it with Content-Type: application/json.", null, null);
        // Kestrel's own refusals (body too large, content ended early) are sentences for people already.
        if (parameter is null) return ("body", message, null, null);
        if (message.Contains("was not provided from body", StringComparison.Ordinal) || message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
            return ("body", "A JSON body is required.", null, null);
        if (RequiredFrom().Match(message) is { Success: true } required)
            return (parameter, $"'{parameter}' is required (in the {required.Groups["source"].Value.Trim()}).", null, null);
        if (BindFailed().Match(message) is { Success: true } failed)
            return (parameter, $"'{parameter}' cannot be '{failed.Groups["value"].Value}': expected {Expected(failed.Groups["type"].Value)}.", null, null);
        return (parameter, $"'{parameter}' is not valid.", null, null);
    }

    /// <summary>"$.rules[0].min" -> "rules[0].min"; the root -> "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>A .NET type named in a framework message, in words a JSON client understands.</summary>
    internal static string Expected(string typeName)
    {
        var name = NullableOf().Match(typeName) is { Success: true } inner ? inner.Groups["type"].Value : typeName.TrimEnd('?');
        if (name.EndsWith("[]", StringComparison.Ordinal) || ListLike().IsMatch(name)) return "an array";
        if (name.Contains("Dictionary`", StringComparison.Ordinal) || name.Contains("Dictionary<", StringComparison.Ordinal)) return "an object";
        var simple = name[(name.LastIndexOf('.') + 1)..];
        switch (simple)
        {
            case "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "short" or "int" or "long": return "an integer";
            case "Double" or "Single" or "Decimal" or "double" or "float" or "decimal": return "a number";
            case "Boolean" or "bool": return "true or false";
            case "String" or "string": return "a string";
            case "Guid": return "a UUID such as 3f2c8d1e-0b4a-4c55-9a7e-2d1f0c9b8a76";
            case "DateOnly": return "a date such as 2026-11-20";
            case "DateTime" or "DateTimeOffset": return "a timestamp such as 2026-11-20T10:00:00Z";
            case "TimeSpan": return "a duration such as 00:05:00";
            case "JsonElement" or "JsonNode" or "Object": return "a JSON value";
        }
        return FindType(name) is { IsEnum: true } enumType
            ? $"one of: {string.Join(", ", Enum.GetNames(enumType).Select(CamelCase))}"
            : "an object";
    }

    /// <summary>The type of the property a JSON path ends in, when <paramref name="typeName"/> is the object that holds it.</summary>
    private static Type? PropertyType(string typeName, string field)
    {
        if (FindType(typeName) is not { IsClass: true } holder || holder == typeof(string)) return null;
        var last = field[(field.LastIndexOf('.') + 1)..];
        if (last.Contains('[')) return null;
        return holder.GetProperties().FirstOrDefault(p => string.Equals(p.Name, last, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    private static string Expected(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain.IsEnum) return $"one of: {string.Join(", ", Enum.GetNames(plain).Select(CamelCase))}";
        if (plain != typeof(string) && plain.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            return "an object";
        if (plain != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(plain)) return "an array";
        return Expected(plain.FullName ?? plain.Name);
    }

    private static Type? FindType(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } found) return found;
        }
        return null;
    }

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLower(name[0], CultureInfo.InvariantCulture) + name[1..];

    [GeneratedRegex("parameter \"(?:(?<type>[^\"]*) )?(?<name>[^\" ]+)\"")]
    private static partial Regex ParameterName();

    [GeneratedRegex("was missing required properties,? including(?: the following)?:? (?<names>.+?)\\.?$", RegexOptions.Singleline)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedNames();

    [GeneratedRegex("could not be converted to (?<type>.+?)\\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Positions();

    [GeneratedRegex("was not provided from (?<source>[^.]+)")]
    private static partial Regex RequiredFrom();

    [GeneratedRegex("Failed to bind parameter \"(?<type>[^\"]*) [^\" ]+\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex BindFailed();

    [GeneratedRegex(@"^(System\.)?Nullable(`1\[(?<type>.+)\]|<(?<type>.+)>)$")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"(List|Enumerable|Collection|Set)(`1|<)")]
    private static partial Regex ListLike();
}
