using ReuseQueue.Contracts;

namespace ReuseQueue.Client;

/// <summary>
/// Where the broker and Redis are and how to log in. The defaults reach services on this machine.
/// </summary>
/// <remarks>
/// <see cref="FromEnvironment()"/> reads <c>REUSEQ_AMQP_URI</c>, <c>REUSEQ_AMQP_USER</c>,
/// <c>REUSEQ_AMQP_PASSWORD</c> (or a file named by <c>REUSEQ_AMQP_PASSWORD_FILE</c>), <c>REUSEQ_AMQP_CA_FILE</c>, <c>REUSEQ_REDIS</c>,
/// <c>REUSEQ_REDIS_PASSWORD</c> (or <c>REUSEQ_REDIS_PASSWORD_FILE</c>), <c>REUSEQ_REDIS_CA_FILE</c> and
/// <c>REUSEQ_KEY_PREFIX</c>.
/// </remarks>
public sealed record ConnectionOptions
{
    /// <summary>The default AMQP address: the local broker's default virtual host.</summary>
    public const string DefaultAmqpUri = "amqp://127.0.0.1:5672/";

    /// <summary>The default Redis configuration string (StackExchange.Redis syntax).</summary>
    public const string DefaultRedis = "127.0.0.1:6379";

    /// <summary>The broker address, <c>amqp://host:port/vhost</c> or <c>amqps://</c> for TLS.</summary>
    public Uri AmqpUri { get; init; } = new(DefaultAmqpUri);

    /// <summary>The broker user; null takes the user in <see cref="AmqpUri"/>, else <c>guest</c>.</summary>
    public string? AmqpUser { get; init; }

    /// <summary>The broker password; null takes the password in <see cref="AmqpUri"/>, else <c>guest</c>.</summary>
    public string? AmqpPassword { get; init; }

    /// <summary>
    /// A PEM file with the certificate authority that signed the broker's TLS certificate
    /// (<c>REUSEQ_AMQP_CA_FILE</c>), for an <c>amqps://</c> broker whose certificate the system does not trust.
    /// </summary>
    public string? AmqpCaFile { get; init; }

    /// <summary>The Redis configuration string, for example <c>127.0.0.1:6379</c> or <c>host:6380,ssl=true</c>.</summary>
    public string Redis { get; init; } = DefaultRedis;

    /// <summary>The Redis password (AUTH); null sends none.</summary>
    public string? RedisPassword { get; init; }

    /// <summary>
    /// A PEM file with the certificate authority that signed the Redis server's TLS certificate
    /// (<c>REUSEQ_REDIS_CA_FILE</c>), for servers whose certificate the system does not trust; it turns TLS on.
    /// </summary>
    public string? RedisCaFile { get; init; }

    /// <summary>The prefix of every Redis key, default <c>reuseq:</c>.</summary>
    public string KeyPrefix { get; init; } = RedisKeys.DefaultPrefix;

    /// <summary>The Redis key layout for <see cref="KeyPrefix"/>.</summary>
    public RedisKeys Keys => new(KeyPrefix);

    /// <summary>Reads the options from <c>REUSEQ_*</c> environment variables, with loopback defaults.</summary>
    public static ConnectionOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the options through <paramref name="read"/>, which returns null for an unset variable.</summary>
    public static ConnectionOptions FromEnvironment(Func<string, string?> read)
    {
        var uri = read("REUSEQ_AMQP_URI");
        return new ConnectionOptions
        {
            AmqpUri = string.IsNullOrWhiteSpace(uri) ? new Uri(DefaultAmqpUri) : ParseAmqpUri(uri),
            AmqpUser = NullIfEmpty(read("REUSEQ_AMQP_USER")),
            AmqpPassword = ReadSecret(read, "REUSEQ_AMQP_PASSWORD"),
            AmqpCaFile = NullIfEmpty(read("REUSEQ_AMQP_CA_FILE")),
            Redis = NullIfEmpty(read("REUSEQ_REDIS")) ?? DefaultRedis,
            RedisPassword = ReadSecret(read, "REUSEQ_REDIS_PASSWORD"),
            RedisCaFile = NullIfEmpty(read("REUSEQ_REDIS_CA_FILE")),
            KeyPrefix = NullIfEmpty(read("REUSEQ_KEY_PREFIX")) ?? RedisKeys.DefaultPrefix,
        };
    }

    /// <summary>The settings as environment variables, for a replica process or container to read back.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironmentVariables()
    {
        var variables = new Dictionary<string, string>
        {
            ["REUSEQ_AMQP_URI"] = AmqpUri.ToString(),
            ["REUSEQ_REDIS"] = Redis,
            ["REUSEQ_KEY_PREFIX"] = KeyPrefix,
        };
        if (AmqpUser is not null)
        {
            variables["REUSEQ_AMQP_USER"] = AmqpUser;
        }

        if (AmqpPassword is not null)
        {
            variables["REUSEQ_AMQP_PASSWORD"] = AmqpPassword;
        }

        if (RedisPassword is not null)
        {
            variables["REUSEQ_REDIS_PASSWORD"] = RedisPassword;
        }

        if (RedisCaFile is not null)
        {
            variables["REUSEQ_REDIS_CA_FILE"] = RedisCaFile;
        }

        if (AmqpCaFile is not null)
        {
            variables["REUSEQ_AMQP_CA_FILE"] = AmqpCaFile;
        }

        return variables;
    }

    /// <summary>The broker address with any password replaced by <c>***</c>, safe for logs and errors.</summary>
    public string RedactedAmqpUri => Redact(AmqpUri);

    /// <summary>Describes the options without any password.</summary>
    public override string ToString() =>
        $"amqp={RedactedAmqpUri} user={AmqpUser ?? "(from uri or guest)"} redis={RedactRedis(Redis)} keyPrefix={KeyPrefix}";

    internal static string Redact(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.ToString();
        }

        var user = uri.UserInfo.Split(':')[0];
        return new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
    }

    private static string RedactRedis(string configuration) =>
        string.Join(',', configuration.Split(',').Select(part =>
            part.StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : part));

    private static Uri ParseAmqpUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new ArgumentException(
                "REUSEQ_AMQP_URI is not a valid broker address: expected amqp://host:port/vhost or amqps://...",
                "REUSEQ_AMQP_URI");
        }

        return uri;
    }

    private static string? ReadSecret(Func<string, string?> read, string variable)
    {
        var secret = SecretVariable.Read(read, variable, out var error);
        if (error is not null)
        {
            throw new InvalidOperationException($"{variable}_FILE: {error}.");
        }

        return secret;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
