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

        // A file path, not a secret, but like the passwords it comes from the environment, not the file.
        RedisCaFile = Environment.GetEnvironmentVariable("REUSEQ_REDIS_CA_FILE") is { Length: > 0 } caFile ? caFile : null,
    };
}
