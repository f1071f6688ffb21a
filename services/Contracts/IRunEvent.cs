namespace Vigil.Contracts;

/// <summary>Every message about a run carries its id and dataset, so a failure anywhere can be tied back to the run.</summary>
public interface IRunEvent
{
    Guid RunId { get; }
    string Dataset { get; }
}
