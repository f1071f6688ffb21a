namespace Vigil.Scoring.Events;

/// <summary>One numeric value of one event, for its entity's rolling statistics of that column.</summary>
public readonly record struct EntityObservation(int Event, string Entity, string Column, double Value);

/// <summary>What the statistics said about an observation before it was added: the earlier count and the |z|-able score.</summary>
public readonly record struct ObservationScore(long PriorCount, double Z);
