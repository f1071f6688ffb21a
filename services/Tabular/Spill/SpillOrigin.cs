namespace Vigil.Tabular.Spill;

/// <summary>
/// What a spilled table was read from, and how: a spill is only used in place of the raw object when these match, so
/// a table read with another delimiter (or from another object) is never taken for this one.
/// </summary>
public sealed record SpillOrigin(string ObjectKey, string ContentType, char Delimiter);
