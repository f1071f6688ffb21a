namespace Vigil.Tabular.Spill;

/// <summary>A columnar spill that cannot be used: not a spill, another version, truncated, corrupt, or made from another object.</summary>
public sealed class SpillFormatException(string message, Exception? inner = null) : Exception(message, inner);
