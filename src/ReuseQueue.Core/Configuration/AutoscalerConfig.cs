using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Configuration;

/// <summary>A loaded and validated config file: connection settings, autoscaler settings and task environments.</summary>
public sealed record AutoscalerConfig
{
    /// <summary>The file the config came from, or the source name given to <see cref="ConfigLoader.LoadFromString"/>.</summary>
    public required string SourceName { get; init; }

    /// <summary>How to reach RabbitMQ.</summary>
    public BrokerSettings Broker { get; init; } = new();

    /// <summary>How to reach Redis.</summary>
    public RedisSettings Redis { get; init; } = new();

    /// <summary>The autoscaler's driver and timeouts.</summary>
    public AutoscalerSettings Autoscaler { get; init; } = new();

    /// <summary>The task environments, in file order, with unique names.</summary>
    public IReadOnlyList<TaskEnvironment> Environments { get; init; } = [];

    /// <summary>Problems that do not stop the config from loading, each with its file, line and column.</summary>
    public IReadOnlyList<ConfigProblem> Warnings { get; init; } = [];
}
