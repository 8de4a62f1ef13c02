using System.Globalization;
using ReuseQueue.Client;
using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>
/// Settings of one worker replica. The replica drivers pass them as <c>REUSEQ_*</c> environment
/// variables; <see cref="FromEnvironment(Func{string, string?}, TimeProvider)"/> reads them back.
/// </summary>
public sealed record ReplicaOptions
{
    /// <summary>Default time a draining replica waits for its tasks before it exits: 30 s.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>Default time between heartbeats: 1 s.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default time a submitted task's result stays in Redis: 24 h.</summary>
    public static readonly TimeSpan DefaultResultTtl = TimeSpan.FromHours(24);

    /// <summary>Default limit of a task message body: 1 MiB.</summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    /// <summary>The task environment whose queue the replica consumes (<c>REUSEQ_ENVIRONMENT</c>, required).</summary>
    public required string Environment { get; init; }

    /// <summary>The replica's id, unique within the environment (<c>REUSEQ_REPLICA_ID</c>; default host name and process id).</summary>
    public required string ReplicaId { get; init; }

    /// <summary>Tasks run at once, and the prefetch count (<c>REUSEQ_CONCURRENCY</c>, default 1).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// The consumer priority (<c>REUSEQ_PRIORITY</c>). RabbitMQ fills higher-priority consumers first, so
    /// older replicas get higher values; the default is <see cref="ConsumerPriority.ForStartTime"/>.
    /// </summary>
    public int Priority { get; init; }

    /// <summary>How many times a task whose handler throws is tried again (<c>REUSEQ_RETRIES</c>, default 0).</summary>
    public int Retries { get; init; }

    /// <summary>Time a draining replica waits for its tasks (<c>REUSEQ_GRACE_PERIOD_MS</c>, default 30 s).</summary>
    public TimeSpan GracePeriod { get; init; } = DefaultGracePeriod;

    /// <summary>Time between heartbeats (<c>REUSEQ_HEARTBEAT_INTERVAL_MS</c>, default 1 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    /// <summary>Time a submitted task's result stays in Redis (<c>REUSEQ_RESULT_TTL_MS</c>, default 24 h).</summary>
    public TimeSpan ResultTtl { get; init; } = DefaultResultTtl;

    /// <summary>Largest task message body accepted, in bytes (<c>REUSEQ_MAX_PAYLOAD_BYTES</c>, default 1 MiB).</summary>
    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>
    /// The maximum time a handler may run before it is cancelled and the task fails with
    /// <see cref="TaskErrorTypes.TaskTimedOut"/> (<c>REUSEQ_TASK_TIMEOUT_MS</c>; default none).
    /// </summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>The image the replica runs in, reported in its heartbeat (<c>REUSEQ_IMAGE</c>).</summary>
    public string? Image { get; init; }

    /// <summary>Broker and Redis addresses.</summary>
    public ConnectionOptions Connection { get; init; } = new();

    /// <summary>
    /// Reads the options from environment variables and reports every invalid one at once.
    /// </summary>
    /// <exception cref="ArgumentException">A variable is missing or invalid; the message lists all of them.</exception>
    public static ReplicaOptions FromEnvironment(Func<string, string?> read, TimeProvider timeProvider)
    {
        var problems = new List<string>();
        var environment = read("REUSEQ_ENVIRONMENT");
        if (string.IsNullOrEmpty(environment))
        {
            problems.Add("REUSEQ_ENVIRONMENT is missing: set it to the task environment this replica serves");
        }
        else if (!EnvironmentName.IsValid(environment))
        {
            problems.Add($"REUSEQ_ENVIRONMENT '{environment}' is invalid: use {EnvironmentName.Rule}");
        }

        var startedAt = timeProvider.GetUtcNow();
        var options = new ReplicaOptions
        {
            Environment = environment ?? string.Empty,
            ReplicaId = read("REUSEQ_REPLICA_ID") is { Length: > 0 } id
                ? id
                : $"{System.Environment.MachineName}-{System.Environment.ProcessId}",
            Concurrency = ReadInt(read, "REUSEQ_CONCURRENCY", 1, minimum: 1, maximum: ushort.MaxValue, problems),
            Priority = ReadInt(read, "REUSEQ_PRIORITY", ConsumerPriority.ForStartTime(startedAt), int.MinValue, int.MaxValue, problems),
            Retries = ReadInt(read, "REUSEQ_RETRIES", 0, minimum: 0, maximum: 100, problems),
            GracePeriod = ReadMilliseconds(read, "REUSEQ_GRACE_PERIOD_MS", DefaultGracePeriod, problems),
            HeartbeatInterval = ReadMilliseconds(read, "REUSEQ_HEARTBEAT_INTERVAL_MS", DefaultHeartbeatInterval, problems),
            ResultTtl = ReadMilliseconds(read, "REUSEQ_RESULT_TTL_MS", DefaultResultTtl, problems),
            MaxPayloadBytes = ReadInt(read, "REUSEQ_MAX_PAYLOAD_BYTES", DefaultMaxPayloadBytes, 1, int.MaxValue, problems),
            TaskTimeout = string.IsNullOrEmpty(read("REUSEQ_TASK_TIMEOUT_MS"))
                ? null
                : ReadMilliseconds(read, "REUSEQ_TASK_TIMEOUT_MS", TimeSpan.FromMinutes(30), problems),
            Image = read("REUSEQ_IMAGE"),
            Connection = ReadConnection(read, problems),
        };

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The replica's settings are invalid:" + string.Concat(problems.Select(p => "\n  - " + p)));
        }

        return options;
    }

    private static ConnectionOptions ReadConnection(Func<string, string?> read, List<string> problems)
    {
        try
        {
            return ConnectionOptions.FromEnvironment(read);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            problems.Add(exception.Message);
            return new ConnectionOptions();
        }
    }

    private static int ReadInt(
        Func<string, string?> read, string name, int fallback, int minimum, int maximum, List<string> problems)
    {
        var text = read(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < minimum || value > maximum)
        {
            problems.Add($"{name} '{text}' is invalid: expected an integer from {minimum} to {maximum}");
            return fallback;
        }

        return value;
    }

    private static TimeSpan ReadMilliseconds(Func<string, string?> read, string name, TimeSpan fallback, List<string> problems)
    {
        var milliseconds = ReadInt(read, name, (int)Math.Min(fallback.TotalMilliseconds, int.MaxValue), 1, int.MaxValue, problems);
        return TimeSpan.FromMilliseconds(milliseconds);
    }
}
