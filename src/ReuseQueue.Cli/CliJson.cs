using System.Text.Json;
using ReuseQueue.Contracts;

namespace ReuseQueue.Cli;

internal static class CliJson
{
    /// <summary>The wire format's JSON settings, indented for people.</summary>
    public static JsonSerializerOptions Indented { get; } = new(WireJson.Options) { WriteIndented = true };
}
