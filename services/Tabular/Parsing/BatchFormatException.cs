namespace Vigil.Tabular.Parsing;

/// <summary>The batch cannot be read as its declared format; the message is meant for the person who sent it.</summary>
public sealed class BatchFormatException(string message, Exception? inner = null) : Exception(message, inner);
