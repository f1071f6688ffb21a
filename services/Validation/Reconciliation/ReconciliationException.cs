namespace Vigil.Validation.Reconciliation;

/// <summary>The reconciliation cannot be done as asked (a key column is missing, no key given). The message is meant for the requester.</summary>
public sealed class ReconciliationException(string message) : Exception(message);
