using System.Text.Json;

namespace Vigil.Cli.Commands;

/// <summary>Where a command writes: results on stdout, progress and errors on stderr.</summary>
public sealed record CliOutput(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardOutput)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Progress(string line) => Error.WriteLine($"vigil: {line}");

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Json));
}
