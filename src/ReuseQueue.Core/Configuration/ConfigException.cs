namespace ReuseQueue.Core.Configuration;

/// <summary>
/// Thrown when a config file cannot be loaded. The message lists every error, one per line,
/// as <c>file:line:col: field: message</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/>, which must not be empty.</summary>
    public ConfigException(IReadOnlyList<ConfigProblem> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found, in file order, followed by the errors of environment variables.</summary>
    public IReadOnlyList<ConfigProblem> Errors { get; }
}
