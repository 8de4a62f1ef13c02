using RabbitMQ.Client;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// A task environment of its own for one test: a unique environment name (so its own queues) and a
/// unique Redis key prefix, against the real broker and Redis. Disposing deletes its queues and keys.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private readonly List<ReplicaProcess> _replicas = [];
    private ReuseQueueClient? _client;
    private ConnectionMultiplexer? _redis;

    /// <param name="purpose">A short word for the environment name.</param>
    /// <param name="configure">
    /// Changes the connection settings, e.g. to point at a Redis server of the test's own; the unique key
    /// prefix is already set when it runs.
    /// </param>
    public TestEnvironment(string purpose, Func<ConnectionOptions, ConnectionOptions>? configure = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        Name = $"t-{purpose}-{suffix}";
        var connection = ConnectionOptions.FromEnvironment() with { KeyPrefix = $"reuseq-test:{suffix}:" };
        Connection = configure is null ? connection : configure(connection);
    }

    public string Name { get; }

    public ConnectionOptions Connection { get; }

    public RedisKeys Keys => Connection.Keys;

    public async Task<ReuseQueueClient> ClientAsync() =>
        _client ??= await ReuseQueueClient.ConnectAsync(Connection, $"test-client:{Name}");

    public async Task<IDatabase> RedisAsync()
    {
        _redis ??= await RedisConnector.ConnectAsync(Connection, $"test:{Name}");
        return _redis.GetDatabase();
    }

    /// <summary>Starts an example worker replica and waits until its heartbeat shows it consuming.</summary>
    public async Task<ReplicaProcess> StartReplicaAsync(
        string replicaId, int concurrency, int retries = 0, IDictionary<string, string>? extra = null)
    {
        var variables = new Dictionary<string, string>(Connection.ToEnvironmentVariables())
        {
            ["REUSEQ_ENVIRONMENT"] = Name,
            ["REUSEQ_REPLICA_ID"] = replicaId,
            ["REUSEQ_CONCURRENCY"] = concurrency.ToString(),
            ["REUSEQ_RETRIES"] = retries.ToString(),
            ["REUSEQ_GRACE_PERIOD_MS"] = "10000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var replica = ReplicaProcess.Start(replicaId, variables);
        _replicas.Add(replica);
        await replica.WaitForHeartbeatAsync(await RedisAsync(), Keys.Heartbeat(Name, replicaId), TimeSpan.FromSeconds(30));
        return replica;
    }

    /// <summary>Counts the messages waiting in the environment's error queue.</summary>
    public async Task<uint> ErrorQueueDepthAsync()
    {
        await using var connection = await BrokerConnector.ConnectAsync(Connection, "test-inspect", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        var declared = await channel.QueueDeclarePassiveAsync(QueueNames.ErrorQueue(Name));
        return declared.MessageCount;
    }

    /// <summary>Reads one message from the error queue, or null when it is empty.</summary>
    public async Task<BasicGetResult?> GetErrorMessageAsync()
    {
        await using var connection = await BrokerConnector.ConnectAsync(Connection, "test-inspect", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        return await channel.BasicGetAsync(QueueNames.ErrorQueue(Name), autoAck: true);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await using (var connection = await BrokerConnector.ConnectAsync(Connection, "test-cleanup", CancellationToken.None))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(QueueNames.TaskQueue(Name), ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync(QueueNames.ErrorQueue(Name), ifUnused: false, ifEmpty: false);
        }

        if (_redis is not null)
        {
            var server = _redis.GetServers()[0];
            await foreach (var key in server.KeysAsync(pattern: Connection.KeyPrefix + "*"))
            {
                await _redis.GetDatabase().KeyDeleteAsync(key);
            }

            await _redis.DisposeAsync();
        }
    }
}
