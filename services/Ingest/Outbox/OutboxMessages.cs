using System.Diagnostics;
using System.Text.Json;
using Vigil.Contracts;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Outbox;

/// <summary>The messages Ingest puts in its outbox, by the name stored with them.</summary>
public static class OutboxMessages
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        [nameof(BatchIngested)] = typeof(BatchIngested),
    };

    public static OutboxEntry Entry<T>(T message) where T : class =>
        Types.ContainsKey(typeof(T).Name)
            ? new OutboxEntry(typeof(T).Name, JsonSerializer.Serialize(message, JsonSerializerOptions.Web), Activity.Current?.Id)
            : throw new ArgumentException($"{typeof(T).Name} is not an outbox message.", nameof(message));

    public static (object Message, Type Type) Read(OutboxMessage stored) =>
        Types.TryGetValue(stored.MessageType, out var type)
            ? (JsonSerializer.Deserialize(stored.Body, type, JsonSerializerOptions.Web)!, type)
            : throw new InvalidOperationException($"Outbox message {stored.Id} has unknown type '{stored.MessageType}'.");
}
