namespace ReuseQueue.Core.Policy;

/// <summary>How serious a <see cref="ValidationProblem"/> is.</summary>
public enum ValidationSeverity
{
    /// <summary>The environment cannot run as configured.</summary>
    Error,

    /// <summary>The environment runs, but likely not as intended.</summary>
    Warning,
}
