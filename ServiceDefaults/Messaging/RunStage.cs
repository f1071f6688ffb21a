namespace Vigil.ServiceDefaults.Messaging;

/// <summary>The run stage this service performs, named in the RunFailed it publishes.</summary>
public sealed record RunStage(string Name);
