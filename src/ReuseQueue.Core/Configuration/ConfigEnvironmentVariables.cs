namespace ReuseQueue.Core.Configuration;

/// <summary>
/// The environment variables <see cref="ConfigLoader"/> reads. A variable that is set overrides the config file.
/// Passwords come only from these variables, never from the file.
/// </summary>
public static class ConfigEnvironmentVariables
{
    /// <summary>Overrides <c>broker.amqp_uri</c>, e.g. <c>amqp://127.0.0.1:5672/</c>.</summary>
    public const string AmqpUri = "REUSEQ_AMQP_URI";

    /// <summary>Overrides <c>broker.management_url</c>, e.g. <c>http://127.0.0.1:15672/</c>.</summary>
    public const string ManagementUrl = "REUSEQ_MANAGEMENT_URL";

    /// <summary>The RabbitMQ user name; overrides <c>broker.user</c> and a user in the AMQP URI.</summary>
    public const string AmqpUser = "REUSEQ_AMQP_USER";

    /// <summary>The RabbitMQ password.</summary>
    public const string AmqpPassword = "REUSEQ_AMQP_PASSWORD";

    /// <summary>A file holding the RabbitMQ password, e.g. a mounted secret; one trailing line break is ignored.</summary>
    public const string AmqpPasswordFile = "REUSEQ_AMQP_PASSWORD_FILE";

    /// <summary>Overrides <c>redis.configuration</c>, a StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>.</summary>
    public const string Redis = "REUSEQ_REDIS";

    /// <summary>Overrides <c>redis.key_prefix</c>.</summary>
    public const string KeyPrefix = "REUSEQ_KEY_PREFIX";

    /// <summary>The Redis password.</summary>
    public const string RedisPassword = "REUSEQ_REDIS_PASSWORD";

    /// <summary>A file holding the Redis password; one trailing line break is ignored.</summary>
    public const string RedisPasswordFile = "REUSEQ_REDIS_PASSWORD_FILE";
}
