namespace ReuseQueue.Core.Policy;

/// <summary>
/// The number of replicas an environment may run: a fixed pool when <see cref="Min"/> equals
/// <see cref="Max"/>, otherwise autoscaled between the two. A range is not checked when it is
/// built, so that <see cref="PolicyValidator"/> can report every problem of a policy at once.
/// </summary>
/// <param name="Min">The fewest live replicas while the environment is active.</param>
/// <param name="Max">The most live replicas at any time.</param>
public readonly record struct ReplicaRange(int Min, int Max)
{
    /// <summary>Whether this is a fixed pool (<see cref="Min"/> equals <see cref="Max"/>).</summary>
    public bool IsFixed => Min == Max;

    /// <summary>Creates a fixed pool of <paramref name="count"/> replicas.</summary>
    public static ReplicaRange Fixed(int count) => new(count, count);

    /// <summary>Limits <paramref name="count"/> to this range.</summary>
    public int Clamp(int count) => Math.Min(Math.Max(count, Min), Max);

    /// <summary>Formats the range as the config file writes it: <c>3</c> for a fixed pool, <c>[2, 5]</c> otherwise.</summary>
    public override string ToString() => IsFixed ? Min.ToString() : $"[{Min}, {Max}]";
}
