using ReuseQueue.Contracts;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// Applies the environment variables of <see cref="ConfigEnvironmentVariables"/> over the settings of a config file,
/// and reads the passwords, which come only from environment variables or secret files.
/// </summary>
internal sealed class EnvironmentVariableOverrides(Func<string, string?> getVariable)
{
    /// <summary>The <see cref="ConfigProblem.Source"/> of a problem in an environment variable.</summary>
    public const string Source = "environment";

    public List<ConfigProblem> Problems { get; } = [];

    public BrokerSettings Apply(BrokerSettings settings)
    {
        if (Get(ConfigEnvironmentVariables.AmqpUri) is { } amqpText)
        {
            var error = ConnectionRules.CheckAmqpUri(amqpText, out var amqpUri);
            settings = Report(ConfigEnvironmentVariables.AmqpUri, error)
                ? settings
                : settings with { AmqpUri = amqpUri!, User = ConnectionRules.UserOf(amqpUri!) ?? settings.User };
        }

        if (Get(ConfigEnvironmentVariables.ManagementUrl) is { } managementText)
        {
            var error = ConnectionRules.CheckManagementUrl(managementText, out var managementUrl);
            settings = Report(ConfigEnvironmentVariables.ManagementUrl, error) ? settings : settings with { ManagementUrl = managementUrl! };
        }

        if (Get(ConfigEnvironmentVariables.AmqpUser) is { } user)
        {
            settings = settings with { User = user };
        }

        var password = ReadSecret(ConfigEnvironmentVariables.AmqpPassword, ConfigEnvironmentVariables.AmqpPasswordFile);
        return password is null ? settings : settings with { Password = password };
    }

    public RedisSettings Apply(RedisSettings settings)
    {
        if (Get(ConfigEnvironmentVariables.Redis) is { } configuration
            && !Report(ConfigEnvironmentVariables.Redis, ConnectionRules.CheckRedisConfiguration(configuration)))
        {
            settings = settings with { Configuration = configuration };
        }

        if (Get(ConfigEnvironmentVariables.KeyPrefix) is { } keyPrefix
            && !Report(ConfigEnvironmentVariables.KeyPrefix, ConnectionRules.CheckKeyPrefix(keyPrefix)))
        {
            settings = settings with { KeyPrefix = keyPrefix };
        }

        var password = ReadSecret(ConfigEnvironmentVariables.RedisPassword, ConfigEnvironmentVariables.RedisPasswordFile);
        return password is null ? settings : settings with { Password = password };
    }

    /// <summary>Returns a variable's value, treating an empty value as unset.</summary>
    private string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value : null;

    private string? ReadSecret(string variable, string fileVariable)
    {
        var secret = SecretVariable.Read(getVariable, variable, out var error);
        if (error is not null)
        {
            Report(fileVariable, error);
        }

        return secret;
    }

    /// <summary>Records <paramref name="error"/> against the variable and returns whether there was one.</summary>
    private bool Report(string variable, string? error)
    {
        if (error is null)
        {
            return false;
        }

        Problems.Add(new ConfigProblem(Source, 0, 0, variable, error, ValidationSeverity.Error));
        return true;
    }
}
