using YamlDotNet.RepresentationModel;

namespace ReuseQueue.Core.Configuration;

/// <summary>Reads the <c>broker</c>, <c>redis</c> and <c>autoscaler</c> sections of a config file.</summary>
internal static class SettingsSectionReader
{
    private static readonly string[] BrokerFields = ["amqp_uri", "management_url", "user", "consumer_timeout"];
    private static readonly string[] RedisFields = ["configuration", "key_prefix"];
    private static readonly string[] AutoscalerFields =
        ["driver", "tick_interval", "heartbeat_timeout", "grace_period", "start_timeout", "allowed_images"];

    public static BrokerSettings ReadBroker(YamlFieldReader reader, YamlFields root)
    {
        var settings = new BrokerSettings();
        if (!root.TryGet("broker", out var node) || YamlFieldReader.IsNull(node))
        {
            return settings;
        }

        var fields = reader.ReadMapping(node, "broker", BrokerFields, ConnectionRules.AmqpPasswordHint);
        if (fields is null)
        {
            return settings;
        }

        if (ReadChecked(reader, fields, "amqp_uri", text => (ConnectionRules.CheckAmqpUri(text, out var uri), uri)) is { } amqpUri)
        {
            settings = settings with { AmqpUri = amqpUri, User = ConnectionRules.UserOf(amqpUri) };
        }

        if (ReadChecked(reader, fields, "management_url", text => (ConnectionRules.CheckManagementUrl(text, out var url), url)) is { } managementUrl)
        {
            settings = settings with { ManagementUrl = managementUrl };
        }

        if (fields.TryGet("user", out var userNode) && reader.ReadString(userNode, fields.PathOf("user")) is { } user)
        {
            settings = settings with { User = user };
        }

        if (ReadPositiveDuration(reader, fields, "consumer_timeout") is { } consumerTimeout)
        {
            settings = settings with { ConsumerTimeout = consumerTimeout };
        }

        return settings;
    }

    public static RedisSettings ReadRedis(YamlFieldReader reader, YamlFields root)
    {
        var settings = new RedisSettings();
        if (!root.TryGet("redis", out var node) || YamlFieldReader.IsNull(node))
        {
            return settings;
        }

        var fields = reader.ReadMapping(node, "redis", RedisFields, ConnectionRules.RedisPasswordHint);
        if (fields is null)
        {
            return settings;
        }

        if (ReadChecked(reader, fields, "configuration", text => (ConnectionRules.CheckRedisConfiguration(text), text)) is { } configuration)
        {
            settings = settings with { Configuration = configuration };
        }

        if (ReadChecked(reader, fields, "key_prefix", text => (ConnectionRules.CheckKeyPrefix(text), text)) is { } keyPrefix)
        {
            settings = settings with { KeyPrefix = keyPrefix };
        }

        return settings;
    }

    public static AutoscalerSettings ReadAutoscaler(YamlFieldReader reader, YamlFields root)
    {
        var settings = new AutoscalerSettings();
        if (!root.TryGet("autoscaler", out var node) || YamlFieldReader.IsNull(node))
        {
            return settings;
        }

        var fields = reader.ReadMapping(node, "autoscaler", AutoscalerFields, ConnectionRules.AnyPasswordHint);
        if (fields is null)
        {
            return settings;
        }

        if (fields.TryGet("driver", out var driverNode) && reader.ReadString(driverNode, fields.PathOf("driver")) is { } driver)
        {
            switch (driver)
            {
                case "process":
                    settings = settings with { Driver = ReplicaDriverKind.Process };
                    break;
                case "docker":
                    settings = settings with { Driver = ReplicaDriverKind.Docker };
                    break;
                default:
                    reader.Error(driverNode, fields.PathOf("driver"), $"unknown driver '{driver}'; allowed: process, docker");
                    break;
            }
        }

        settings = settings with
        {
            TickInterval = ReadPositiveDuration(reader, fields, "tick_interval") ?? settings.TickInterval,
            HeartbeatTimeout = ReadHeartbeatTimeout(reader, fields) ?? settings.HeartbeatTimeout,
            GracePeriod = ReadPositiveDuration(reader, fields, "grace_period") ?? settings.GracePeriod,
            StartTimeout = ReadPositiveDuration(reader, fields, "start_timeout") ?? settings.StartTimeout,
        };

        if (fields.TryGet("allowed_images", out var imagesNode)
            && reader.ReadStringList(imagesNode, fields.PathOf("allowed_images"), "image glob patterns, e.g. reuseq/*") is { } images)
        {
            settings = settings with { AllowedImages = images };
        }

        return settings;
    }

    // Replicas beat every second, so a shorter timeout would declare healthy replicas dead between beats.
    private static TimeSpan? ReadHeartbeatTimeout(YamlFieldReader reader, YamlFields fields)
    {
        var timeout = ReadPositiveDuration(reader, fields, "heartbeat_timeout");
        if (timeout is { } value && value < AutoscalerSettings.MinimumHeartbeatTimeout)
        {
            fields.TryGet("heartbeat_timeout", out var node);
            reader.Error(node!, fields.PathOf("heartbeat_timeout"),
                $"must be at least {DurationText.Format(AutoscalerSettings.MinimumHeartbeatTimeout)} (three 1 s heartbeat intervals), got {DurationText.Format(value)}");
            return null;
        }

        return timeout;
    }

    private static TimeSpan? ReadPositiveDuration(YamlFieldReader reader, YamlFields fields, string key)
    {
        if (!fields.TryGet(key, out var node) || reader.ReadDuration(node, fields.PathOf(key)) is not { } duration)
        {
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            reader.Error(node, fields.PathOf(key), $"must be positive, got {DurationText.Format(duration)}");
            return null;
        }

        return duration;
    }

    private static T? ReadChecked<T>(YamlFieldReader reader, YamlFields fields, string key, Func<string, (string? Error, T? Value)> check)
        where T : class
    {
        if (!fields.TryGet(key, out var node) || reader.ReadString(node, fields.PathOf(key)) is not { } text)
        {
            return null;
        }

        var (error, value) = check(text);
        if (error is not null)
        {
            reader.Error(node, fields.PathOf(key), error);
            return null;
        }

        return value;
    }
}
