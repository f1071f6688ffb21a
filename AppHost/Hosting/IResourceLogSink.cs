namespace Vigil.AppHost.Hosting;

/// <summary>Receives every log line of every resource, tagged with the resource's name.</summary>
public interface IResourceLogSink
{
    void Write(string resource, string line, bool isError);
}
