namespace ReuseQueue.Core.Configuration;

/// <summary>
/// How to reach RabbitMQ: the <c>broker</c> section of the config file, with the overrides
/// <see cref="ConfigEnvironmentVariables.AmqpUri"/>, <see cref="ConfigEnvironmentVariables.ManagementUrl"/>,
/// <see cref="ConfigEnvironmentVariables.AmqpUser"/> and the password variables applied.
/// </summary>
public sealed record BrokerSettings
{
    /// <summary>The default <see cref="AmqpUri"/>: a broker on this machine, <c>amqp://127.0.0.1:5672/</c>.</summary>
    public static readonly Uri DefaultAmqpUri = new("amqp://127.0.0.1:5672/");

    /// <summary>The default <see cref="ManagementUrl"/>: <c>http://127.0.0.1:15672/</c>.</summary>
    public static readonly Uri DefaultManagementUrl = new("http://127.0.0.1:15672/");

    /// <summary>The AMQP URI (<c>amqp</c> or <c>amqps</c>). It may name a user but never contains a password.</summary>
    public Uri AmqpUri { get; init; } = DefaultAmqpUri;

    /// <summary>The base URL of the RabbitMQ management HTTP API, which reports queue depths.</summary>
    public Uri ManagementUrl { get; init; } = DefaultManagementUrl;

    /// <summary>The user name; null leaves it to the AMQP URI or the client's default.</summary>
    public string? User { get; init; }

    /// <summary>RabbitMQ's default consumer timeout (the <c>consumer_timeout</c> setting of rabbitmq.conf): 30 minutes.</summary>
    public static readonly TimeSpan DefaultConsumerTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The broker's <c>consumer_timeout</c>, as configured in its rabbitmq.conf (<c>broker.consumer_timeout</c>;
    /// default 30 minutes). Config validation warns about task timeouts that reach it.
    /// </summary>
    public TimeSpan ConsumerTimeout { get; init; } = DefaultConsumerTimeout;

    /// <summary>The password, from an environment variable or a secret file only; null when none is set.</summary>
    public string? Password { get; init; }

    /// <summary>Formats the settings without the password, which shows only as set or not set.</summary>
    public override string ToString() =>
        $"amqp_uri={AmqpUri}, management_url={ManagementUrl}, user={User ?? "(default)"}, password={(Password is null ? "(not set)" : "(set)")}";
}
