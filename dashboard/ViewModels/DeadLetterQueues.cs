using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.ViewModels;

/// <summary>Dead-lettered messages: how many wait in all, and what a replay did.</summary>
public static class DeadLetterQueues
{
    public static long Waiting(IReadOnlyList<DeadLetterQueueInfo> queues) => queues.Sum(q => q.Messages);

    public static string Replayed(ReplayInfo replay) => replay.Replayed == 0
        ? $"Nothing to replay: {replay.Queue}_error held no message."
        : $"Replayed {replay.Replayed} message{(replay.Replayed == 1 ? "" : "s")} from {replay.Queue}_error back to {replay.Queue}.";
}
