namespace Vigil.Validation.Parsing;

/// <summary>What a first read of a batch tells: its columns and how many rows it has.</summary>
public sealed record BatchShape(IReadOnlyList<string> Columns, long RowCount);

/// <summary>The batch cannot be read as its declared format; the message is meant for the person who sent it.</summary>
public sealed class BatchFormatException(string message, Exception? inner = null) : Exception(message, inner);
