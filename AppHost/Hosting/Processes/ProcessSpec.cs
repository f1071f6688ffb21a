namespace Vigil.AppHost.Hosting.Processes;

/// <summary>What to run: executable, arguments, extra environment, working directory.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public Dictionary<string, string> Environment { get; init; } = [];
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The same command run as <paramref name="user"/> when we are root (servers such as postgres refuse root).
    /// setpriv execs in place, so the process we supervise is the server itself, not a wrapper.
    /// </summary>
    public ProcessSpec AsUser(string user) =>
        PosixSignals.IsRoot
            ? this with { FileName = "setpriv", Arguments = ["--reuid", user, "--regid", user, "--init-groups", "--", FileName, .. Arguments] }
            : this;
}
