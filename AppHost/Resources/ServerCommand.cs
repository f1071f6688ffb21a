using Aspire.Hosting.ApplicationModel;

namespace Vigil.AppHost.Resources;

/// <summary>
/// How a backing server is launched: its binary directly, or through setpriv when we are root and the server must run
/// as its own user. A binary that is not installed yet (installed when the resource starts) is launched through env,
/// so the resource's command can be fixed before the binary's path is known. setpriv and env exec in place: the
/// process Aspire supervises and signals is the server itself.
/// </summary>
public sealed class ServerCommand
{
    private readonly string? _user;
    private readonly string? _foundAtBuild;

    public ServerCommand(string executable, string? user, params string[] searchDirectories)
    {
        Executable = executable;
        SearchDirectories = searchDirectories;
        _user = user is not null && Environment.UserName == "root" ? user : null;
        _foundAtBuild = ServerInstaller.Find(executable, searchDirectories);
        Path = _foundAtBuild;
    }

    public string Executable { get; }

    public string[] SearchDirectories { get; }

    /// <summary>The binary's path once found (at build, or after installing it when the resource starts).</summary>
    public string? Path { get; set; }

    /// <summary>The resource's command.</summary>
    public string Command => _user is not null ? "setpriv" : _foundAtBuild ?? "env";

    /// <summary>Arguments that come before the server's own.</summary>
    public void AddPrefix(CommandLineArgsCallbackContext context)
    {
        if (_user is not null)
        {
            foreach (var argument in new[] { "--reuid", _user, "--regid", _user, "--init-groups", "--" }) context.Args.Add(argument);
        }
        if (_user is not null || _foundAtBuild is null)
            context.Args.Add(Path ?? throw new InvalidOperationException($"'{Executable}' has not been found or installed."));
    }
}
