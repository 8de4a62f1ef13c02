using ReuseQueue.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// Loads the YAML config file of the autoscaler: the sections <c>broker</c>, <c>redis</c> and <c>autoscaler</c>
/// (all optional, with defaults for one machine) and the required list <c>environments</c>.
/// </summary>
/// <remarks>
/// After the file, these environment variables apply, each overriding its setting when set and not empty:
/// <c>REUSEQ_AMQP_URI</c>, <c>REUSEQ_MANAGEMENT_URL</c>, <c>REUSEQ_AMQP_USER</c>, <c>REUSEQ_REDIS</c> and
/// <c>REUSEQ_KEY_PREFIX</c>. Passwords come only from <c>REUSEQ_AMQP_PASSWORD</c> or the file named by
/// <c>REUSEQ_AMQP_PASSWORD_FILE</c>, and <c>REUSEQ_REDIS_PASSWORD</c> or <c>REUSEQ_REDIS_PASSWORD_FILE</c>;
/// a <c>password</c> key in the file is an error. See <see cref="ConfigEnvironmentVariables"/>.
/// </remarks>
public static class ConfigLoader
{
    private static readonly string[] RootFields = ["broker", "redis", "autoscaler", "environments"];

    /// <summary>Loads and validates the config file at <paramref name="path"/>.</summary>
    /// <param name="path">The path of the YAML file; error messages name it as given.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="ConfigException">The file cannot be read or has errors; the exception lists all of them.</exception>
    public static AutoscalerConfig Load(string path, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException([new ConfigProblem(path, 0, 0, "", $"cannot read the config file: {exception.Message}")]);
        }

        return LoadFromString(text, path, getEnvironmentVariable);
    }

    /// <summary>Loads and validates config text.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="sourceName">The name error messages give the text, usually its file name.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="ConfigException">The text has errors; the exception lists all of them.</exception>
    public static AutoscalerConfig LoadFromString(string text, string sourceName, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var reader = new YamlFieldReader(sourceName);

        var root = Parse(reader, text);
        if (root is null)
        {
            throw new ConfigException(reader.Problems);
        }

        var fields = reader.ReadMapping(root, "", RootFields, ConnectionRules.AnyPasswordHint);
        if (fields is null)
        {
            throw new ConfigException(reader.Problems);
        }

        var broker = SettingsSectionReader.ReadBroker(reader, fields);
        var redis = SettingsSectionReader.ReadRedis(reader, fields);
        var autoscaler = SettingsSectionReader.ReadAutoscaler(reader, fields);
        var environments = EnvironmentSectionReader.Read(reader, fields, autoscaler, broker.ConsumerTimeout);

        var overrides = new EnvironmentVariableOverrides(getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        broker = overrides.Apply(broker);
        redis = overrides.Apply(redis);

        var fileProblems = reader.Problems.OrderBy(problem => problem.Line).ThenBy(problem => problem.Column).ToList();
        var errors = fileProblems.Where(problem => problem.Severity == ValidationSeverity.Error).Concat(overrides.Problems).ToList();
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return new AutoscalerConfig
        {
            SourceName = sourceName,
            Broker = broker,
            Redis = redis,
            Autoscaler = autoscaler,
            Environments = environments,
            Warnings = fileProblems.Where(problem => problem.Severity == ValidationSeverity.Warning).ToList(),
        };
    }

    /// <summary>Parses the text into its root node, or reports a syntax error or an empty file and returns null.</summary>
    private static YamlNode? Parse(YamlFieldReader reader, string text)
    {
        var scanner = new Scanner(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException exception)
        {
            reader.Error(exception.Start, "", $"invalid YAML: {exception.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // NOTE: YamlDotNet 16.3.0 throws InvalidOperationException instead of a YamlException for some
            // malformed input, e.g. a flow list left open before the next key. Only the scanner's position is known.
            reader.Error(scanner.CurrentPosition, "", "invalid YAML near here, e.g. an unclosed '[' or '{'");
            return null;
        }

        if (stream.Documents.Count == 0 || YamlFieldReader.IsNull(stream.Documents[0].RootNode))
        {
            reader.Error(new Mark(0, 1, 1), "", "the file is empty; it must list at least one task environment under 'environments'");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            reader.Error(stream.Documents[1].RootNode, "", "the file contains more than one YAML document; put all sections in the first");
            return null;
        }

        return stream.Documents[0].RootNode;
    }
}
