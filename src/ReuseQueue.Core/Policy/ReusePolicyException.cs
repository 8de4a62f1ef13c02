namespace ReuseQueue.Core.Policy;

/// <summary>
/// Thrown by <see cref="PolicyValidator.ThrowIfInvalid(TaskEnvironment)"/> when an environment built in code
/// breaks one or more rules. The message lists every error, one per line.
/// </summary>
public sealed class ReusePolicyException : Exception
{
    /// <summary>Creates the exception for the environment <paramref name="environment"/> and its errors.</summary>
    public ReusePolicyException(string environment, IReadOnlyList<ValidationProblem> problems)
        : base(FormatMessage(environment, problems))
    {
        Environment = environment;
        Problems = problems;
    }

    /// <summary>The name of the invalid environment, as given.</summary>
    public string Environment { get; }

    /// <summary>Every error found, in field order.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string FormatMessage(string environment, IReadOnlyList<ValidationProblem> problems)
    {
        var lines = problems.Select(problem => "  " + problem);
        return $"Invalid task environment '{environment}' ({problems.Count} "
            + (problems.Count == 1 ? "problem" : "problems")
            + "):" + System.Environment.NewLine
            + string.Join(System.Environment.NewLine, lines);
    }
}
