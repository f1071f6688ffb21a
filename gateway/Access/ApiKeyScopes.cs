namespace Vigil.Gateway.Access;

/// <summary>What an API key may do. Scopes are independent: a key gets exactly the ones it was created with.</summary>
public static class ApiKeyScopes
{
    /// <summary>Submit batches, reconciliations, pulls and events.</summary>
    public const string Ingest = "ingest";

    /// <summary>Every GET/HEAD under /api: runs, reports, anomalies, lineage, datasets.</summary>
    public const string Read = "read";

    /// <summary>Register datasets, train and promote models, edit alert policies, manage API keys.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Admin];

    public static bool IsKnown(string? scope) => scope is Ingest or Read or Admin;
}
