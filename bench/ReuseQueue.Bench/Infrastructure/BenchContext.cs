using System.Collections.Concurrent;
using RabbitMQ.Client;
using ReuseQueue.Client;
using StackExchange.Redis;

namespace ReuseQueue.Bench.Infrastructure;

/// <summary>
/// What one benchmark run shares: a run id that names every queue (<c>reuse.bench-&lt;run id&gt;-...</c>) and
/// every Redis key prefix (<c>bench-&lt;run id&gt;...</c>) it creates, the connections, and the list of
/// queues, exchanges and processes to remove at the end.
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private readonly ConcurrentBag<string> _queues = [];
    private readonly ConcurrentBag<string> _exchanges = [];
    private readonly ConcurrentBag<ChildProcess> _processes = [];
    private readonly ConcurrentBag<string> _containers = [];

    private BenchContext(BenchOptions options, string runId, ConnectionOptions connection, ConnectionMultiplexer redis, IConnection amqp)
    {
        Options = options;
        RunId = runId;
        Connection = connection;
        Redis = redis;
        Amqp = amqp;
    }

    public BenchOptions Options { get; }

    /// <summary>Eight hex digits that make this run's names unique.</summary>
    public string RunId { get; }

    /// <summary>The broker and Redis addresses from the <c>REUSEQ_*</c> variables, with this run's key prefix.</summary>
    public ConnectionOptions Connection { get; }

    public ConnectionMultiplexer Redis { get; }

    /// <summary>A connection for declaring, inspecting and deleting queues.</summary>
    public IConnection Amqp { get; }

    /// <summary>The Redis key prefix that every key of this run starts with.</summary>
    public string KeyPrefix => $"bench-{RunId}:";

    /// <summary>The example worker, copied next to the benchmark by its project reference.</summary>
    public static string WorkerAssemblyPath => Path.Combine(AppContext.BaseDirectory, "ReuseQueue.ExampleWorker.dll");

    /// <summary>The benchmark itself, started again as the raw AMQP baseline server.</summary>
    public static string BenchAssemblyPath => Path.Combine(AppContext.BaseDirectory, "ReuseQueue.Bench.dll");

    /// <summary>The CLI as <c>run.sh</c> builds it in the source tree, else the copy next to the benchmark.</summary>
    public static string CliAssemblyPath
    {
        get
        {
            var built = Path.Combine(RepositoryRoot, "src", "ReuseQueue.Cli", "bin", "Release", "net10.0", "reuseq.dll");
            return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "reuseq.dll");
        }
    }

    /// <summary>The nearest folder above the binaries that contains ReuseQueue.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<BenchContext> CreateAsync(BenchOptions options)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var connection = ConnectionOptions.FromEnvironment() with { KeyPrefix = $"bench-{runId}:" };
        var redis = await RedisConnector.ConnectAsync(connection, $"bench-{runId}");
        var amqp = await BrokerConnector.ConnectAsync(connection, $"bench-{runId}", CancellationToken.None);
        return new BenchContext(options, runId, connection, redis, amqp);
    }

    /// <summary>Returns a new environment name of this run, e.g. <c>bench-1a2b3c4d-warm</c>.</summary>
    public string NewEnvironment(string purpose)
    {
        var name = $"bench-{RunId}-{purpose}";
        TrackQueue($"reuse.{name}");
        TrackQueue($"reuse.{name}.error");
        return name;
    }

    public void TrackQueue(string queue) => _queues.Add(queue);

    public void TrackExchange(string exchange) => _exchanges.Add(exchange);

    public void TrackContainer(string name) => _containers.Add(name);

    public ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts an example worker replica process and waits until its heartbeat is in Redis.</summary>
    public async Task<ChildProcess> StartReplicaAsync(string environment, string replicaId, int concurrency, string? keyPrefix = null)
    {
        var replica = Track(StartReplicaProcess(environment, replicaId, concurrency, keyPrefix));
        await WaitForHeartbeatAsync(replica, environment, replicaId, keyPrefix, TimeSpan.FromSeconds(60));
        return replica;
    }

    /// <summary>Starts an example worker replica process without waiting for it.</summary>
    public ChildProcess StartReplicaProcess(string environment, string replicaId, int concurrency, string? keyPrefix = null) =>
        ChildProcess.StartDotnet(replicaId, WorkerAssemblyPath, ReplicaVariables(environment, replicaId, concurrency, keyPrefix));

    /// <summary>The <c>REUSEQ_*</c> variables of an example worker replica.</summary>
    public Dictionary<string, string> ReplicaVariables(string environment, string replicaId, int concurrency, string? keyPrefix = null)
    {
        var connection = keyPrefix is null ? Connection : Connection with { KeyPrefix = keyPrefix };
        return new Dictionary<string, string>(connection.ToEnvironmentVariables())
        {
            ["REUSEQ_ENVIRONMENT"] = environment,
            ["REUSEQ_REPLICA_ID"] = replicaId,
            ["REUSEQ_CONCURRENCY"] = concurrency.ToString(),
            ["REUSEQ_GRACE_PERIOD_MS"] = "5000",
        };
    }

    public async Task WaitForHeartbeatAsync(ChildProcess replica, string environment, string replicaId, string? keyPrefix, TimeSpan timeout)
    {
        var keys = (keyPrefix is null ? Connection : Connection with { KeyPrefix = keyPrefix }).Keys;
        var key = keys.Heartbeat(environment, replicaId);
        var giveUpAt = DateTime.UtcNow + timeout;
        while (!await Redis.GetDatabase().KeyExistsAsync(key))
        {
            if (replica.HasExited)
            {
                throw new InvalidOperationException($"Replica {replicaId} exited before its first heartbeat:\n{replica.OutputTail}");
            }

            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"Replica {replicaId} wrote no heartbeat within {timeout.TotalSeconds:0} s:\n{replica.OutputTail}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the given processes: SIGTERM, a short drain, then SIGKILL.</summary>
    public static async Task StopAllAsync(IEnumerable<ChildProcess> processes)
    {
        var list = processes.ToList();
        foreach (var process in list)
        {
            process.Terminate();
        }

        await Task.WhenAll(list.Select(process => process.WaitForExitAsync(TimeSpan.FromSeconds(10))));
    }

    /// <summary>Deletes every queue, exchange, container and Redis key of this run and ends its processes.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var container in _containers.Distinct())
        {
            await using var remove = ChildProcess.Start("docker rm", "docker", ["rm", "--force", container]);
            await remove.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using (var channel = await Amqp.CreateChannelAsync())
        {
            foreach (var queue in _queues.Distinct())
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            }

            foreach (var exchange in _exchanges.Distinct())
            {
                await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
            }
        }

        await Amqp.DisposeAsync();
        await DeleteKeysAsync($"bench-{RunId}*");
        await Redis.DisposeAsync();
    }

    /// <summary>Deletes the Redis keys that match <paramref name="pattern"/>, found with SCAN.</summary>
    public async Task DeleteKeysAsync(string pattern)
    {
        var server = Redis.GetServers()[0];
        var batch = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                await Redis.GetDatabase().KeyDeleteAsync(batch.ToArray());
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await Redis.GetDatabase().KeyDeleteAsync(batch.ToArray());
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReuseQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ReuseQueue.sln above {AppContext.BaseDirectory}.");
    }
}
