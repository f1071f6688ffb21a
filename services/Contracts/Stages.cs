namespace Vigil.Contracts;

/// <summary>Names of the stages a run goes through, as recorded in its timeline.</summary>
public static class Stages
{
    public const string Ingest = "ingest";
    public const string Validate = "validate";
    public const string Score = "score";
    public const string Report = "report";
    public const string Alert = "alert";
}
