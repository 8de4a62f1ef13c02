namespace ReuseQueue.Core.Policy;

/// <summary>One problem found by <see cref="PolicyValidator"/>.</summary>
/// <param name="Field">The field as the config file names it, e.g. <c>replicas</c> or <c>scaledown_ttl</c>.</param>
/// <param name="Message">The rule broken and the value received, without the field name.</param>
/// <param name="Severity">Whether the problem is an error or a warning.</param>
public sealed record ValidationProblem(string Field, string Message, ValidationSeverity Severity = ValidationSeverity.Error)
{
    /// <summary>Whether this problem is an error, which makes the environment invalid.</summary>
    public bool IsError => Severity == ValidationSeverity.Error;

    /// <summary>Formats the problem as <c>field: message</c>, with <c>warning: </c> before a warning's message.</summary>
    public override string ToString() =>
        IsError ? $"{Field}: {Message}" : $"{Field}: warning: {Message}";
}
