namespace ReuseQueue.Core.Policy;

/// <summary>
/// The memory and CPU limits of one replica. Null means no limit. Parse the Kubernetes-style
/// quantities of a config file with <see cref="ResourceQuantity"/>.
/// </summary>
/// <param name="Memory">The memory limit, in bytes.</param>
/// <param name="Cpu">The CPU limit, in millicores (1000 = one core).</param>
public sealed record ResourceRequirements(long? Memory = null, long? Cpu = null)
{
    /// <summary>No memory and no CPU limit.</summary>
    public static ResourceRequirements None { get; } = new();

    /// <summary>
    /// Parses a memory and a CPU quantity, either of which may be null.
    /// </summary>
    /// <exception cref="FormatException">A quantity is invalid; the message names it and the accepted forms.</exception>
    public static ResourceRequirements Parse(string? memory, string? cpu) => new(
        memory is null ? null : ResourceQuantity.ParseMemory(memory),
        cpu is null ? null : ResourceQuantity.ParseCpu(cpu));

    /// <summary>Formats the limits as <c>memory=536870912 bytes, cpu=500m</c>.</summary>
    public override string ToString() =>
        $"memory={(Memory is null ? "unlimited" : $"{Memory} bytes")}, cpu={(Cpu is null ? "unlimited" : $"{Cpu}m")}";
}
