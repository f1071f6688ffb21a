namespace Vigil.Cli.Arguments;

/// <summary>
/// A command line split into its command, positional values, options with a value (<c>--name value</c> or
/// <c>--name=value</c>) and flags (<c>--wait</c>). Which names are options and which are flags is the command's to say;
/// anything else is a usage error naming it.
/// </summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public string Command { get; }
    public IReadOnlyList<string> Positional { get; }

    private ParsedArguments(string command, List<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> optionNames, IReadOnlySet<string> flagNames)
    {
        if (args.Count == 0) throw new UsageException("No command given.");
        var positional = new List<string>();
        var parsed = new ParsedArguments(args[0], positional);
        for (var i = 1; i < args.Count; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                positional.Add(token);
                continue;
            }
            var equals = token.IndexOf('=');
            var name = equals < 0 ? token[2..] : token[2..equals];
            if (flagNames.Contains(name))
            {
                if (equals >= 0) throw new UsageException($"--{name} takes no value.");
                parsed._flags.Add(name);
            }
            else if (optionNames.Contains(name))
            {
                string value;
                if (equals >= 0) value = token[(equals + 1)..];
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
                else throw new UsageException($"--{name} needs a value.");
                if (!parsed._options.TryAdd(name, value)) throw new UsageException($"--{name} is given twice.");
            }
            else
            {
                throw new UsageException($"Unknown option --{name} for '{parsed.Command}'.");
            }
        }
        return parsed;
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public bool Flag(string name) => _flags.Contains(name);
}
