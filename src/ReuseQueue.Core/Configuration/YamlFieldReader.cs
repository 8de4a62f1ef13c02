using System.Globalization;
using ReuseQueue.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// Reads typed values out of YAML nodes and collects every problem with its file, line, column and field path,
/// so that one pass reports all problems of a file.
/// </summary>
internal sealed class YamlFieldReader(string source)
{
    public string Source { get; } = source;

    public List<ConfigProblem> Problems { get; } = [];

    public bool HasErrors => Problems.Any(problem => problem.Severity == ValidationSeverity.Error);

    public void Error(YamlNode node, string field, string message) => Error(node.Start, field, message);

    public void Error(Mark mark, string field, string message) =>
        Problems.Add(new(Source, (int)mark.Line, (int)mark.Column, field, message));

    public void Warning(YamlNode node, string field, string message) =>
        Problems.Add(new(Source, (int)node.Start.Line, (int)node.Start.Column, field, message, ValidationSeverity.Warning));

    public string Position(YamlNode node) => $"{Source}:{node.Start.Line}:{node.Start.Column}";

    /// <summary>
    /// Reads a mapping and reports every key outside <paramref name="allowed"/>. A <c>password</c> key gets
    /// <paramref name="passwordHint"/> in place of the list of allowed fields.
    /// </summary>
    public YamlFields? ReadMapping(YamlNode node, string path, IReadOnlyList<string> allowed, string passwordHint)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping with the fields {string.Join(", ", allowed)}, got {Describe(node)}");
            return null;
        }

        var fields = new YamlFields(mapping, path);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode scalar ? scalar.Value ?? "" : "";
            if (allowed.Contains(key, StringComparer.Ordinal))
            {
                fields.Add(key, value);
            }
            else if (key.Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                Error(keyNode, fields.PathOf(key), $"a password must not be written in a config file; {passwordHint}");
            }
            else
            {
                Error(keyNode, fields.PathOf(key), $"unknown field '{key}'; allowed fields: {string.Join(", ", allowed)}");
            }
        }

        return fields;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public string? ReadString(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value ?? "";
        }

        Error(node, path, $"expected a string, got {Describe(node)}");
        return null;
    }

    public int? ReadInt(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, path, $"expected a whole number, got {Describe(node)}");
        return null;
    }

    public TimeSpan? ReadDuration(YamlNode node, string path)
    {
        if (node is not YamlScalarNode { Value: { } text } || IsNull(node))
        {
            Error(node, path, $"expected a duration ({DurationText.Forms}), got {Describe(node)}");
            return null;
        }

        if (!DurationText.TryParse(text, out var duration, out var error))
        {
            Error(node, path, error);
            return null;
        }

        return duration;
    }

    public List<string>? ReadStringList(YamlNode node, string path, string meaning)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of strings ({meaning}), got {Describe(node)}");
            return null;
        }

        var values = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var value = ReadString(sequence.Children[i], $"{path}[{i}]");
            if (value is null)
            {
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    public Dictionary<string, string>? ReadStringMap(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping of names to strings, got {Describe(node)}");
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = ReadString(keyNode, path);
            var value = valueNode is YamlScalarNode { Value: { } text } ? text : null;
            if (value is null)
            {
                Error(valueNode, $"{path}.{key}", $"expected a string, got {Describe(valueNode)}");
            }

            if (key is not null && value is not null)
            {
                values[key] = value;
            }
        }

        return values;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode when IsNull(node) => "null",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => node.NodeType.ToString(),
    };
}
