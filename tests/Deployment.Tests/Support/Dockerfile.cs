using System.Text.RegularExpressions;

namespace Vigil.Deployment.Tests.Support;

public sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The instruction's words, flags (<c>--from=build</c>) included.</summary>
    public IReadOnlyList<string> Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Flags => Words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();

    public string? Flag(string name) =>
        Flags.Select(f => f.Split('=', 2)).Where(f => f[0] == $"--{name}").Select(f => f.Length > 1 ? f[1] : "").FirstOrDefault();

    public IReadOnlyList<string> Operands => Words.SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();

    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

public sealed record DockerStage(int Index, string From, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read the way BuildKit reads it: line continuations joined, comments dropped, stages split at FROM,
/// ARG defaults (global and per stage) and <c>--build-arg</c> overrides expanded.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public IReadOnlyList<DockerInstruction> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        var start = 0;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue; // blank lines and comments, also inside continuations
            if (pending.Length == 0) start = number;
            var continues = line.TrimEnd().EndsWith('\\');
            pending += continues ? line.TrimEnd()[..^1] + " " : line;
            if (continues) continue;
            var parts = pending.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            instructions.Add(new DockerInstruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : "", start));
            pending = "";
        }

        var globalArgs = instructions.TakeWhile(i => i.Keyword != "FROM").Where(i => i.Keyword == "ARG").ToList();
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions.SkipWhile(i => i.Keyword != "FROM"))
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Operands;
                var name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add(new DockerStage(stages.Count, words[0], name, []));
            }
            else
            {
                var current = stages[^1];
                stages[^1] = current with { Instructions = [.. current.Instructions, instruction] };
            }
        }
        return new Dockerfile(globalArgs, stages);
    }

    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new Xunit.Sdk.XunitException($"No stage named {name}.");

    /// <summary>Global ARG values: defaults, replaced by build arguments.</summary>
    public IReadOnlyDictionary<string, string> GlobalArgValues(IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in GlobalArgs) Declare(arg, values, values, buildArgs);
        return values;
    }

    /// <summary>ARG values visible inside a stage: those it declares, from defaults, global values or build arguments.</summary>
    public IReadOnlyDictionary<string, string> StageArgValues(DockerStage stage, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var global = GlobalArgValues(buildArgs);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in stage.All("ARG")) Declare(arg, values, global, buildArgs);
        return values;
    }

    /// <summary>Expands <c>$NAME</c>, <c>${NAME}</c> and <c>${NAME:-default}</c>.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> values) =>
        Variable().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            return values.TryGetValue(name, out var value) && value.Length > 0
                ? value
                : match.Groups["default"].Success ? match.Groups["default"].Value : match.Value;
        });

    /// <summary>What a stage's FROM names once expanded: another stage or an image.</summary>
    public string FromOf(DockerStage stage, IReadOnlyDictionary<string, string>? buildArgs = null) =>
        Expand(stage.From, GlobalArgValues(buildArgs));

    /// <summary>The stages a stage is built on, outermost first, ending with the stage itself.</summary>
    public IReadOnlyList<DockerStage> Chain(DockerStage stage, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var chain = new List<DockerStage> { stage };
        while (Stages.Take(chain[0].Index).SingleOrDefault(s => s.Name == FromOf(chain[0], buildArgs)) is { } parent)
            chain.Insert(0, parent);
        return chain;
    }

    /// <summary>The image the stage's chain starts from.</summary>
    public string BaseImage(DockerStage stage, IReadOnlyDictionary<string, string>? buildArgs = null) =>
        FromOf(Chain(stage, buildArgs)[0], buildArgs);

    /// <summary>Every instruction that shapes the final image, for the given build arguments.</summary>
    public IReadOnlyList<DockerInstruction> FinalImage(IReadOnlyDictionary<string, string>? buildArgs = null) =>
        Chain(Final, buildArgs).SelectMany(s => s.Instructions).ToList();

    /// <summary>ENV values of an instruction list (KEY=VALUE pairs, a later one wins).</summary>
    public static IReadOnlyDictionary<string, string> EnvOf(IEnumerable<DockerInstruction> instructions)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in instructions.Where(i => i.Keyword == "ENV"))
        {
            foreach (Match pair in EnvPair().Matches(env.Arguments))
                environment[pair.Groups["key"].Value] = pair.Groups["value"].Value.Trim('"');
        }
        return environment;
    }

    private static void Declare(DockerInstruction arg, Dictionary<string, string> values, IReadOnlyDictionary<string, string> outer,
        IReadOnlyDictionary<string, string>? buildArgs)
    {
        var parts = arg.Arguments.Split('=', 2);
        var name = parts[0].Trim();
        if (buildArgs?.TryGetValue(name, out var given) == true) values[name] = given;
        else if (parts.Length == 2) values[name] = Expand(parts[1].Trim().Trim('"'), values); // a default sees only ARGs declared in scope
        else if (outer.TryGetValue(name, out var inherited)) values[name] = inherited;
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)(?::-(?<default>[^}]*))?\}|(?<bare>\w+))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<key>[A-Za-z_][\w.]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex EnvPair();
}
