using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Configuration;

/// <summary>An error or warning found in a config file, or in an environment variable that overrides it.</summary>
/// <param name="Source">The file name, or <c>environment</c> for an environment variable.</param>
/// <param name="Line">The 1-based line, or 0 when the problem has no position in a file.</param>
/// <param name="Column">The 1-based column, or 0 when the problem has no position in a file.</param>
/// <param name="Field">The field path, e.g. <c>environments[1].scaledown_ttl</c>; empty for a problem of the whole file.</param>
/// <param name="Message">The rule broken and the value received.</param>
/// <param name="Severity">Whether the problem stops the config from loading.</param>
public sealed record ConfigProblem(
    string Source, int Line, int Column, string Field, string Message, ValidationSeverity Severity = ValidationSeverity.Error)
{
    /// <summary>Formats the problem as <c>file:line:col: field: message</c>, leaving out the parts it does not have.</summary>
    public override string ToString()
    {
        var position = Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
        var field = Field.Length > 0 ? $"{Field}: " : "";
        var severity = Severity == ValidationSeverity.Warning ? "warning: " : "";
        return $"{position}: {field}{severity}{Message}";
    }
}
