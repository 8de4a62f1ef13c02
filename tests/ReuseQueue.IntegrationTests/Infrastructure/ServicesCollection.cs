namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that start replica processes run one class at a time: two cores cannot run several
/// concurrency measurements at once without distorting them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServicesCollection
{
    public const string Name = "real broker and Redis";
}
