using StackExchange.Redis;

namespace ReuseQueue.Client;

/// <summary>Opens Redis connections that keep retrying in the background instead of failing at start.</summary>
public static class RedisConnector
{
    /// <summary>Builds StackExchange.Redis settings for <paramref name="options"/>.</summary>
    public static ConfigurationOptions CreateConfiguration(ConnectionOptions options, string clientName)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(options.Redis);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(
                $"REUSEQ_REDIS is not a valid Redis configuration string ({exception.Message}); " +
                "expected host:port with optional ,ssl=true", exception);
        }

        configuration.AbortOnConnectFail = false;
        configuration.ClientName = clientName;
        configuration.ConnectTimeout = 5000;
        configuration.SyncTimeout = 5000;
        configuration.AsyncTimeout = 5000;

        // StackExchange.Redis 2.8 waits between reconnect attempts with ExponentialRetry(ConnectTimeout / 2),
        // which grows to 10 s during a long outage. A replica that reconnects that late after Redis returns
        // misses the autoscaler's heartbeat timeout (5 s by default) and is stopped as dead, so attempts here
        // are at most 1 s apart.
        configuration.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 1000);
        if (options.RedisPassword is not null)
        {
            configuration.Password = options.RedisPassword;
        }

        if (options.RedisCaFile is not null)
        {
            if (!File.Exists(options.RedisCaFile))
            {
                throw new ArgumentException(
                    $"REUSEQ_REDIS_CA_FILE names '{options.RedisCaFile}', which does not exist; point it at the PEM file " +
                    "of the certificate authority that signed the Redis server's certificate.");
            }

            configuration.Ssl = true;
            configuration.TrustIssuer(options.RedisCaFile);
        }

        return configuration;
    }

    /// <summary>Connects to Redis; the connection reconnects by itself after an outage.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(ConnectionOptions options, string clientName) =>
        await ConnectionMultiplexer.ConnectAsync(CreateConfiguration(options, clientName)).ConfigureAwait(false);
}
