using ReuseQueue.Autoscaler.Drivers;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>Polls the driver for the environment's running replicas and keeps the largest count seen.</summary>
public sealed class PoolSampler(IReplicaDriver driver, string environment)
{
    private readonly HashSet<string> _seen = [];
    private int _current;
    private int _maximum;

    public int Current => Volatile.Read(ref _current);

    public int Maximum => Volatile.Read(ref _maximum);

    /// <summary>Every replica id that ran at some point.</summary>
    public IReadOnlyCollection<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToList();
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var running = (await driver.ListAsync(CancellationToken.None))
                .Where(replica => replica.Environment == environment && replica.IsRunning)
                .ToList();
            lock (_seen)
            {
                _seen.UnionWith(running.Select(replica => replica.ReplicaId));
            }

            Volatile.Write(ref _current, running.Count);
            if (running.Count > _maximum)
            {
                Volatile.Write(ref _maximum, running.Count);
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
