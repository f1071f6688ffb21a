using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Vigil.ObjectStore.Protocol;

/// <summary>S3's XML: answers written in its namespace, request bodies (DeleteObjects, CompleteMultipartUpload) read.</summary>
public static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Async = true };

    /// <summary>Writes an XML answer: <paramref name="write"/> fills the root element named <paramref name="root"/>.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, string root, Action<XmlWriter> write, bool withNamespace = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartDocument();
            if (withNamespace) writer.WriteStartElement(root, Namespace);
            else writer.WriteStartElement(root);
            write(writer);
            writer.WriteEndElement();
        }
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    public static Task WriteErrorAsync(HttpContext context, S3Exception error, string resource)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = error.Status;
            return Task.CompletedTask;
        }
        return WriteAsync(context.Response, error.Status, "Error", xml =>
        {
            xml.WriteElementString("Code", error.Code);
            xml.WriteElementString("Message", error.Message);
            xml.WriteElementString("Resource", resource);
            xml.WriteElementString("RequestId", context.TraceIdentifier);
        }, withNamespace: false);
    }

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A small XML request body (at most 1 MB: a DeleteObjects of 1000 keys is about 100 KB).</summary>
    public static async Task<XElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > 1_000_000) throw S3Exception.InvalidArgument("The XML body is too large.");
        try
        {
            var document = await XDocument.LoadAsync(request.Body, LoadOptions.None, cancellationToken);
            return document.Root ?? throw new XmlException("No root element.");
        }
        catch (XmlException e)
        {
            throw new S3Exception(400, "MalformedXML", $"The XML you provided was not well-formed: {e.Message}");
        }
    }

    /// <summary>Child elements by local name, whatever their namespace (clients send S3's namespace or none).</summary>
    public static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    public static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;
}
