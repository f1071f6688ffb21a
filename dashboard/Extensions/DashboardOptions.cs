namespace Vigil.Dashboard.Extensions;

/// <summary>Settings of the dashboard (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Where the gateway publishes the dashboard; every page and link lives under it.</summary>
    public string PathBase { get; set; } = "/ui";

    /// <summary>The gateway the dashboard reads the API through, used when service discovery gives none (services:gateway:http:0).</summary>
    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>The Aspire dashboard's browser address; when set, the run page links to its traces.</summary>
    public string? TraceViewerUrl { get; set; }

    /// <summary>
    /// Where Data Protection keeps the key ring that encrypts the sign-in cookie. Unset: ASP.NET's default (the user
    /// profile, or memory when there is none). In Kubernetes a mounted volume, so a restarted container keeps people signed in.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>How often the live page asks for fresh numbers (at most every 2 s).</summary>
    public int RefreshSeconds { get; set; } = 2;
}
