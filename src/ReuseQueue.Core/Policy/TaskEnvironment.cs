namespace ReuseQueue.Core.Policy;

/// <summary>
/// A task environment: a named pool of long-lived worker replicas that consume the queue
/// <c>reuse.&lt;name&gt;</c>. A replica runs <see cref="Image"/> under the docker driver or
/// <see cref="Command"/> under the process driver. Check an environment with <see cref="PolicyValidator"/>.
/// </summary>
public sealed record TaskEnvironment
{
    /// <summary>The environment name; see <see cref="ReuseQueue.Contracts.EnvironmentName.Rule"/>.</summary>
    public required string Name { get; init; }

    /// <summary>The container image of a replica, for the docker driver. Null when the environment runs only as local processes.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// The executable and its arguments of a local replica process, for the process driver.
    /// Null when the environment runs only as containers.
    /// </summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The limits of one replica. Default: none.</summary>
    public ResourceRequirements Resources { get; init; } = ResourceRequirements.None;

    /// <summary>The reuse policy. Default: <see cref="ReusePolicy"/> with every default.</summary>
    public ReusePolicy Policy { get; init; } = new();

    /// <summary>Environment variables set in every replica. Default: none.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal);
}
