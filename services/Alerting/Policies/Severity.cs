namespace Vigil.Alerting.Policies;

/// <summary>How urgent a fired condition is; an alert takes the highest severity among its conditions.</summary>
public enum Severity { Info, Warning, Critical }
