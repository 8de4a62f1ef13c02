using ReuseQueue.Contracts;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// How to reach Redis: the <c>redis</c> section of the config file, with the overrides
/// <see cref="ConfigEnvironmentVariables.Redis"/>, <see cref="ConfigEnvironmentVariables.KeyPrefix"/>
/// and the password variables applied.
/// </summary>
public sealed record RedisSettings
{
    /// <summary>The default <see cref="Configuration"/>: Redis on this machine, <c>127.0.0.1:6379</c>.</summary>
    public const string DefaultConfiguration = "127.0.0.1:6379";

    /// <summary>A StackExchange.Redis configuration string without a password, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string Configuration { get; init; } = DefaultConfiguration;

    /// <summary>The prefix of every Redis key. Default <see cref="RedisKeys.DefaultPrefix"/> (<c>reuseq:</c>).</summary>
    public string KeyPrefix { get; init; } = RedisKeys.DefaultPrefix;

    /// <summary>The password, from an environment variable or a secret file only; null when none is set.</summary>
    public string? Password { get; init; }

    /// <summary>Formats the settings without the password, which shows only as set or not set.</summary>
    public override string ToString() =>
        $"configuration={Configuration}, key_prefix={KeyPrefix}, password={(Password is null ? "(not set)" : "(set)")}";
}
