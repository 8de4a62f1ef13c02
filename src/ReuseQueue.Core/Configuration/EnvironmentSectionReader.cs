using ReuseQueue.Core.Policy;
using YamlDotNet.RepresentationModel;

namespace ReuseQueue.Core.Configuration;

/// <summary>Reads and validates the <c>environments</c> list of a config file.</summary>
internal static class EnvironmentSectionReader
{
    private const string Memory = "memory";
    private const string Cpu = "cpu";

    private static readonly string[] EnvironmentFields =
    [
        PolicyFields.Name, PolicyFields.Command, PolicyFields.Image, PolicyFields.Resources, PolicyFields.Environment,
        PolicyFields.Replicas, PolicyFields.Concurrency, PolicyFields.ScaledownTtl, PolicyFields.IdleTtl,
        PolicyFields.Retries, PolicyFields.TaskTimeout, PolicyFields.MaxPayloadBytes,
    ];

    private static readonly string[] ResourceFields = [Memory, Cpu];

    private const string SecretHint = "give replicas their secrets through the autoscaler's environment or a secret file";

    public static List<TaskEnvironment> Read(
        YamlFieldReader reader, YamlFields root, AutoscalerSettings autoscaler, TimeSpan brokerConsumerTimeout)
    {
        const string field = "environments";
        var environments = new List<TaskEnvironment>();
        if (!root.TryGet(field, out var node))
        {
            reader.Error(root.Mapping, field, "missing required field; list at least one task environment");
            return environments;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            reader.Error(node, field, $"expected a list of at least one task environment, got {YamlFieldReader.Describe(node)}");
            return environments;
        }

        var firstNameNodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var environment = ReadEnvironment(reader, list.Children[i], $"{field}[{i}]", autoscaler, brokerConsumerTimeout, out var nameNode);
            if (environment is null || nameNode is null)
            {
                continue;
            }

            if (firstNameNodes.TryGetValue(environment.Name, out var firstNameNode))
            {
                reader.Error(nameNode, $"{field}[{i}].{PolicyFields.Name}",
                    $"duplicate environment name '{environment.Name}'; first defined at {reader.Position(firstNameNode)}");
                continue;
            }

            firstNameNodes[environment.Name] = nameNode;
            environments.Add(environment);
        }

        return environments;
    }

    private static TaskEnvironment? ReadEnvironment(
        YamlFieldReader reader, YamlNode node, string path, AutoscalerSettings autoscaler, TimeSpan brokerConsumerTimeout,
        out YamlNode? nameNode)
    {
        nameNode = null;
        var fields = reader.ReadMapping(node, path, EnvironmentFields, SecretHint);
        if (fields is null)
        {
            return null;
        }

        // Fields that could not be read keep their defaults, and the validator's findings on them are dropped
        // because the reader has already reported the real problem.
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        T? Read<T>(string key, Func<YamlNode, string, T?> read, bool allowNull = false)
        {
            if (!fields.TryGet(key, out var value) || (allowNull && YamlFieldReader.IsNull(value)))
            {
                return default;
            }

            var result = read(value, fields.PathOf(key));
            if (result is null)
            {
                unreadable.Add(key);
            }

            return result;
        }

        var name = Read(PolicyFields.Name, reader.ReadString);
        if (!fields.TryGet(PolicyFields.Name, out _))
        {
            reader.Error(fields.Mapping, fields.PathOf(PolicyFields.Name), "missing required field; give the environment a name");
            unreadable.Add(PolicyFields.Name);
        }

        var defaults = new ReusePolicy();
        var environment = new TaskEnvironment
        {
            Name = name ?? "",
            Image = Read(PolicyFields.Image, reader.ReadString, allowNull: true),
            Command = Read(PolicyFields.Command, (value, at) => reader.ReadStringList(value, at, "the executable and its arguments"), allowNull: true),
            Resources = Read(PolicyFields.Resources, (value, at) => ReadResources(reader, value, at)) ?? ResourceRequirements.None,
            EnvironmentVariables = Read(PolicyFields.Environment, reader.ReadStringMap) ?? new Dictionary<string, string>(StringComparer.Ordinal),
            Policy = new ReusePolicy
            {
                Replicas = Read(PolicyFields.Replicas, (value, at) => ReadReplicas(reader, value, at)) ?? defaults.Replicas,
                Concurrency = Read(PolicyFields.Concurrency, reader.ReadInt) ?? defaults.Concurrency,
                ScaledownTtl = Read(PolicyFields.ScaledownTtl, reader.ReadDuration) ?? defaults.ScaledownTtl,
                IdleTtl = Read(PolicyFields.IdleTtl, reader.ReadDuration, allowNull: true),
                Retries = Read(PolicyFields.Retries, reader.ReadInt) ?? defaults.Retries,
                TaskTimeout = Read(PolicyFields.TaskTimeout, reader.ReadDuration, allowNull: true),
                MaxPayloadBytes = Read(PolicyFields.MaxPayloadBytes, reader.ReadInt) ?? defaults.MaxPayloadBytes,
            },
        };

        ReportValidation(reader, fields, environment, unreadable);
        CheckDriver(reader, fields, environment, autoscaler, unreadable);
        CheckConsumerTimeout(reader, fields, environment, brokerConsumerTimeout);
        nameNode = unreadable.Contains(PolicyFields.Name) ? null : fields.NodeOf(PolicyFields.Name);
        return environment;
    }

    // RabbitMQ closes a channel whose delivery stays unacknowledged past its consumer timeout and
    // requeues every delivery of that channel, so a task that may run longer would run again and again.
    private static void CheckConsumerTimeout(
        YamlFieldReader reader, YamlFields fields, TaskEnvironment environment, TimeSpan brokerConsumerTimeout)
    {
        if (environment.Policy.TaskTimeout is { } taskTimeout && taskTimeout >= brokerConsumerTimeout)
        {
            reader.Warning(fields.NodeOf(PolicyFields.TaskTimeout), fields.PathOf(PolicyFields.TaskTimeout),
                $"{DurationText.Format(taskTimeout)} is not below broker.consumer_timeout {DurationText.Format(brokerConsumerTimeout)}: " +
                "the broker would close the replica's channel and requeue the task while it still runs. Raise consumer_timeout " +
                "in rabbitmq.conf and broker.consumer_timeout here, or shorten task_timeout");
        }
    }

    private static void ReportValidation(YamlFieldReader reader, YamlFields fields, TaskEnvironment environment, HashSet<string> unreadable)
    {
        foreach (var problem in PolicyValidator.Validate(environment))
        {
            var bracket = problem.Field.IndexOf('[');
            var key = bracket < 0 ? problem.Field : problem.Field[..bracket];
            if (unreadable.Contains(key))
            {
                continue;
            }

            var node = fields.NodeOf(key);
            if (bracket >= 0 && node is YamlSequenceNode sequence
                && int.TryParse(problem.Field[(bracket + 1)..^1], out var index) && index < sequence.Children.Count)
            {
                node = sequence.Children[index];
            }

            var path = fields.PathOf(problem.Field);
            if (problem.IsError)
            {
                reader.Error(node, path, problem.Message);
            }
            else
            {
                reader.Warning(node, path, problem.Message);
            }
        }
    }

    private static void CheckDriver(
        YamlFieldReader reader, YamlFields fields, TaskEnvironment environment, AutoscalerSettings autoscaler, HashSet<string> unreadable)
    {
        if (environment.Command is null && environment.Image is null)
        {
            return;
        }

        if (autoscaler.Driver == ReplicaDriverKind.Process && environment.Command is null && !unreadable.Contains(PolicyFields.Command))
        {
            reader.Error(fields.Mapping, fields.PathOf(PolicyFields.Command),
                "missing: driver 'process' starts replicas from a command; set command or set autoscaler.driver to docker");
        }

        if (autoscaler.Driver == ReplicaDriverKind.Docker && environment.Image is null && !unreadable.Contains(PolicyFields.Image))
        {
            reader.Error(fields.Mapping, fields.PathOf(PolicyFields.Image),
                "missing: driver 'docker' starts replicas from an image; set image or set autoscaler.driver to process");
        }

        if (autoscaler.Driver == ReplicaDriverKind.Docker && environment.Image is { } image
            && !ImageAllowList.IsAllowed(image, autoscaler.AllowedImages))
        {
            reader.Error(fields.NodeOf(PolicyFields.Image), fields.PathOf(PolicyFields.Image),
                $"image '{image}' matches none of autoscaler.allowed_images ({string.Join(", ", autoscaler.AllowedImages)}); add a pattern or use an allowed image");
        }
    }

    private static ReplicaRange? ReadReplicas(YamlFieldReader reader, YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, out var count))
        {
            return ReplicaRange.Fixed(count);
        }

        if (node is YamlSequenceNode { Children.Count: 2 } pair
            && pair.Children[0] is YamlScalarNode { Value: { } minText } && int.TryParse(minText, out var min)
            && pair.Children[1] is YamlScalarNode { Value: { } maxText } && int.TryParse(maxText, out var max))
        {
            return new ReplicaRange(min, max);
        }

        reader.Error(node, path,
            $"expected a whole number for a fixed pool (e.g. 3) or a list [min, max] (e.g. [2, 5]), got {YamlFieldReader.Describe(node)}");
        return null;
    }

    private static ResourceRequirements? ReadResources(YamlFieldReader reader, YamlNode node, string path)
    {
        var fields = reader.ReadMapping(node, path, ResourceFields, SecretHint);
        if (fields is null)
        {
            return null;
        }

        var memory = ReadQuantity(reader, fields, Memory, ResourceQuantity.TryParseMemory, out var memoryValid);
        var cpu = ReadQuantity(reader, fields, Cpu, ResourceQuantity.TryParseCpu, out var cpuValid);
        return memoryValid && cpuValid ? new ResourceRequirements(memory, cpu) : null;
    }

    private delegate bool QuantityParser(string? text, out long value, out string? error);

    private static long? ReadQuantity(YamlFieldReader reader, YamlFields fields, string key, QuantityParser parse, out bool valid)
    {
        valid = true;
        if (!fields.TryGet(key, out var node))
        {
            return null;
        }

        var text = reader.ReadString(node, fields.PathOf(key));
        if (text is null)
        {
            valid = false;
            return null;
        }

        if (!parse(text, out var value, out var error))
        {
            reader.Error(node, fields.PathOf(key), error!);
            valid = false;
            return null;
        }

        return value;
    }
}
