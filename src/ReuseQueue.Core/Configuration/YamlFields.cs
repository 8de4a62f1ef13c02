using YamlDotNet.RepresentationModel;

namespace ReuseQueue.Core.Configuration;

/// <summary>The known fields of one YAML mapping, by key, with the mapping itself for positions of missing fields.</summary>
internal sealed class YamlFields(YamlMappingNode mapping, string path)
{
    private readonly Dictionary<string, YamlNode> fields = new(StringComparer.Ordinal);

    public YamlMappingNode Mapping { get; } = mapping;

    /// <summary>The field path of the mapping, e.g. <c>environments[1]</c>; empty for the root.</summary>
    public string Path { get; } = path;

    public void Add(string key, YamlNode value) => fields[key] = value;

    public bool TryGet(string key, out YamlNode value) => fields.TryGetValue(key, out value!);

    /// <summary>Returns the value node of <paramref name="key"/>, or the mapping when the key is absent, to point an error at.</summary>
    public YamlNode NodeOf(string key) => fields.GetValueOrDefault(key, Mapping);

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}
