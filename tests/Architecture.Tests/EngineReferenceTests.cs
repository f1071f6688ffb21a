using System.Reflection;

namespace Vigil.Architecture.Tests;

/// <summary>
/// The engines — the logic each service exists for — name no web, messaging or storage framework type, so they can be
/// unit-tested and benchmarked alone. A failure lists each offending reference and where it is.
/// </summary>
public sealed class EngineReferenceTests
{
    /// <summary>Namespaces an engine may not use: ASP.NET Core, MassTransit, Npgsql, the AWS SDK (S3) and StackExchange.Redis.</summary>
    public static readonly string[] ForbiddenNamespaces = ["Microsoft.AspNetCore", "MassTransit", "Npgsql", "Amazon", "StackExchange.Redis"];

    /// <summary>The engine folders, as namespaces, with an assembly that holds each.</summary>
    public static TheoryData<string> EngineNamespaces => new()
    {
        "Vigil.Tabular.Parsing",
        "Vigil.Tabular.Tables",
        "Vigil.Tabular.Writing",
        "Vigil.Validation.Engine",
        "Vigil.Validation.Rules",
        "Vigil.Validation.Reconciliation",
        "Vigil.Validation.Schema",
        "Vigil.Validation.Quality",
        "Vigil.Validation.Cleaning",
        "Vigil.Scoring.Detectors",
        "Vigil.Scoring.Ensemble",
        "Vigil.Scoring.Features",
        "Vigil.Scoring.Evaluation",
        "Vigil.Alerting.Policies",
        "Vigil.Lineage.OpenLineage",
    };

    private static readonly Assembly[] Assemblies =
    [
        typeof(Tabular.Tables.TypedTable).Assembly,
        typeof(Validation.Engine.BatchValidation).Assembly,
        typeof(Scoring.Extensions.ScoringServiceExtensions).Assembly,
        typeof(Alerting.Extensions.AlertingServiceExtensions).Assembly,
        typeof(Lineage.Extensions.LineageServiceExtensions).Assembly,
    ];

    [Theory]
    [MemberData(nameof(EngineNamespaces))]
    public void Engine_folder_references_no_web_messaging_or_storage_framework_type(string engineNamespace)
    {
        var types = TypesIn(engineNamespace);
        Assert.NotEmpty(types);

        var offending = types
            .SelectMany(type => TypeReferences.Of(type).Select(r => (Owner: type, r.Type, r.Where)))
            .Where(r => IsForbidden(r.Type))
            .Select(r => $"{r.Owner.FullName}: {r.Where} -> {r.Type.FullName}")
            .Distinct()
            .Order()
            .ToList();

        Assert.True(offending.Count == 0, $"{engineNamespace} references framework types:\n{string.Join("\n", offending)}");
    }

    [Fact]
    public void The_check_sees_a_framework_type_used_only_inside_a_method_body()
    {
        var references = TypeReferences.Of(typeof(UsesAspNetInsideABody)).Select(r => r.Type).ToList();

        Assert.Contains(references, IsForbidden);
        Assert.DoesNotContain(TypeReferences.Of(typeof(UsesNothingForbidden)).Select(r => r.Type), IsForbidden);
    }

    private static bool IsForbidden(Type type) =>
        type.Namespace is { } ns && ForbiddenNamespaces.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal));

    private static List<Type> TypesIn(string engineNamespace) =>
    [
        .. Assemblies.Distinct().SelectMany(a => a.GetTypes())
            .Where(t => t.Namespace is { } ns && (ns == engineNamespace || ns.StartsWith(engineNamespace + ".", StringComparison.Ordinal))),
    ];

    private static class UsesAspNetInsideABody
    {
        public static int Status() => new Microsoft.AspNetCore.Http.DefaultHttpContext().Response.StatusCode;
    }

    private static class UsesNothingForbidden
    {
        public static int Length(string text) => text.Trim().Length;
    }
}
