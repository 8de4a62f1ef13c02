using System.Globalization;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>Builds the <c>REUSEQ_*</c> variables a replica reads its settings from.</summary>
public static class ReplicaVariables
{
    public static IReadOnlyDictionary<string, string> For(
        TaskEnvironment environment, string replicaId, DateTimeOffset startedAt, TimeSpan gracePeriod,
        ConnectionOptions connection)
    {
        var policy = environment.Policy;
        var variables = new Dictionary<string, string>(connection.ToEnvironmentVariables(), StringComparer.Ordinal)
        {
            ["REUSEQ_ENVIRONMENT"] = environment.Name,
            ["REUSEQ_REPLICA_ID"] = replicaId,
            ["REUSEQ_CONCURRENCY"] = Text(policy.Concurrency),
            ["REUSEQ_PRIORITY"] = Text(ConsumerPriority.ForStartTime(startedAt)),
            ["REUSEQ_RETRIES"] = Text(policy.Retries),
            ["REUSEQ_GRACE_PERIOD_MS"] = Text((long)gracePeriod.TotalMilliseconds),
            ["REUSEQ_MAX_PAYLOAD_BYTES"] = Text(policy.MaxPayloadBytes),
        };
        if (policy.TaskTimeout is { } taskTimeout)
        {
            variables["REUSEQ_TASK_TIMEOUT_MS"] = Text((long)taskTimeout.TotalMilliseconds);
        }

        if (environment.Image is not null)
        {
            variables["REUSEQ_IMAGE"] = environment.Image;
        }

        return variables;
    }

    /// <summary>A new replica id: the environment name, then a base-36 start time and a random suffix.</summary>
    public static string NewReplicaId(string environment, DateTimeOffset startedAt)
    {
        var time = ToBase36(startedAt.ToUnixTimeMilliseconds());
        return $"{environment}-{time}{Random.Shared.Next(0x1000):x3}";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var buffer = new Stack<char>();
        do
        {
            buffer.Push(digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return new string(buffer.ToArray());
    }
}
