using ReuseQueue.Client;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>Turns a config file's broker and Redis settings into client connection options.</summary>
public static class ConnectionMapping
{
    public static ConnectionOptions ToConnectionOptions(this AutoscalerConfig config) => new()
    {
        AmqpUri = config.Broker.AmqpUri,
        AmqpUser = config.Broker.User,
        AmqpPassword = config.Broker.Password,
        Redis = config.Redis.Configuration,
        RedisPassword = config.Redis.Password,
        KeyPrefix = config.Redis.KeyPrefix,

        // File paths, not secrets, but like the passwords they come from the environment, not the file.
        RedisCaFile = Variable("REUSEQ_REDIS_CA_FILE"),
        AmqpCaFile = Variable("REUSEQ_AMQP_CA_FILE"),
    };

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
