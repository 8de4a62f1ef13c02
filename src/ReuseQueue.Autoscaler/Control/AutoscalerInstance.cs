using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Autoscaler.Drivers.Docker;
using ReuseQueue.Autoscaler.Observation;
using ReuseQueue.Autoscaler.Status;
using ReuseQueue.Client;
using ReuseQueue.Core.Configuration;
using StackExchange.Redis;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>
/// One running autoscaler: its connections, observers, driver, lease and loop, built from a config
/// file. Dispose it after the loop has stopped.
/// </summary>
public sealed class AutoscalerInstance : IAsyncDisposable
{
    private readonly IConnection _amqp;
    private readonly ConnectionMultiplexer _redis;
    private readonly ManagementApiQueueObserver _management;

    private AutoscalerInstance(
        AutoscalerLoop loop, IReplicaDriver driver, IConnection amqp, ConnectionMultiplexer redis,
        ManagementApiQueueObserver management, string instanceId, FleetStatusReader status)
    {
        Loop = loop;
        Status = status;
        Driver = driver;
        _amqp = amqp;
        _redis = redis;
        _management = management;
        InstanceId = instanceId;
    }

    public AutoscalerLoop Loop { get; }

    public IReplicaDriver Driver { get; }

    public string InstanceId { get; }

    /// <summary>Reads what the status command shows, over this instance's connections.</summary>
    public FleetStatusReader Status { get; }

    /// <summary>
    /// The default folder where the process driver keeps its replica records and logs:
    /// <c>REUSEQ_STATE_DIR</c>, else <c>~/.local/state/reuseq</c>. Each Redis key prefix gets a subfolder,
    /// so deployments that share a machine but not a prefix never adopt each other's replicas.
    /// </summary>
    public static string DefaultStateDirectory =>
        Environment.GetEnvironmentVariable("REUSEQ_STATE_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "reuseq");

    /// <summary>Connects to the broker and Redis and builds the loop for <paramref name="configPath"/>.</summary>
    public static async Task<AutoscalerInstance> CreateAsync(
        string configPath, ILoggerFactory loggerFactory, TimeProvider timeProvider,
        string? stateDirectory = null, CancellationToken cancellationToken = default)
    {
        var config = ConfigLoader.Load(configPath);
        var connection = config.ToConnectionOptions();
        var instanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var logger = loggerFactory.CreateLogger("ReuseQueue.Autoscaler");

        var driver = CreateDriver(config, stateDirectory ?? DefaultStateDirectory, loggerFactory, timeProvider);
        var redis = await RedisConnector.ConnectAsync(connection, "reuseq-autoscaler").ConfigureAwait(false);
        var amqp = await BrokerConnector.ConnectAsync(connection, "reuseq-autoscaler", cancellationToken).ConfigureAwait(false);
        var management = new ManagementApiQueueObserver(
            config.Broker.ManagementUrl, VirtualHostOf(connection.AmqpUri),
            config.Broker.User ?? UserInfo(connection.AmqpUri, 0) ?? "guest",
            config.Broker.Password ?? UserInfo(connection.AmqpUri, 1) ?? "guest",
            TimeSpan.FromSeconds(5));
        var queues = new FallbackQueueObserver(management, new PassiveDeclareQueueObserver(amqp), logger);
        var keys = connection.Keys;
        var leaseDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, config.Autoscaler.TickInterval.Ticks * 3));
        var lease = new LeaderLease(redis, keys.LeaderLease, instanceId, leaseDuration);
        var watcher = new ConfigWatcher(configPath, config, logger);
        var heartbeats = new HeartbeatObserver(redis, keys);
        var loop = new AutoscalerLoop(watcher, driver, queues, heartbeats, lease, new QueueDeclarer(amqp), redis, timeProvider, logger);
        var status = new FleetStatusReader(queues, heartbeats, driver, redis, timeProvider);
        return new AutoscalerInstance(loop, driver, amqp, redis, management, instanceId, status);
    }

    private static IReplicaDriver CreateDriver(
        AutoscalerConfig config, string stateDirectory, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var scope = string.Concat(config.Redis.KeyPrefix.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        if (config.Autoscaler.Driver == ReplicaDriverKind.Docker)
        {
            return new DockerReplicaDriver(
                DockerEngine.CreateClient(), config.Redis.KeyPrefix, config.Autoscaler.AllowedImages,
                loggerFactory.CreateLogger<DockerReplicaDriver>(), timeProvider);
        }

        return new ProcessReplicaDriver(
            Path.Combine(stateDirectory, scope), loggerFactory.CreateLogger<ProcessReplicaDriver>(), timeProvider);
    }

    private static string VirtualHostOf(Uri amqpUri)
    {
        var path = Uri.UnescapeDataString(amqpUri.AbsolutePath.TrimStart('/'));
        return path.Length == 0 ? "/" : path;
    }

    private static string? UserInfo(Uri uri, int part)
    {
        var pieces = uri.UserInfo.Split(':', 2);
        return pieces.Length > part && pieces[part].Length > 0 ? Uri.UnescapeDataString(pieces[part]) : null;
    }

    public async ValueTask DisposeAsync()
    {
        _management.Dispose();
        (Driver as IDisposable)?.Dispose();
        await _amqp.DisposeAsync().ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
    }
}
