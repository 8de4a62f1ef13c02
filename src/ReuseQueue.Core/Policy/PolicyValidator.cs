using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Core.Policy;

/// <summary>
/// Checks task environments and reuse policies against the rules the autoscaler relies on.
/// Every method returns all problems at once, errors and warnings alike.
/// </summary>
public static class PolicyValidator
{
    /// <summary>
    /// Checks the name, command, image, environment variables and policy of <paramref name="environment"/>.
    /// It does not check that the configured driver can run the environment, because a caller in code has no driver.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> Validate(TaskEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<ValidationProblem>();

        if (!EnvironmentName.IsValid(environment.Name))
        {
            problems.Add(new(PolicyFields.Name, $"invalid environment name '{environment.Name}': use {EnvironmentName.Rule}"));
        }

        ValidateReplicaSource(environment, problems);
        ValidateEnvironmentVariables(environment.EnvironmentVariables, problems);
        problems.AddRange(Validate(environment.Policy));
        return problems;
    }

    /// <summary>Checks the numbers and durations of <paramref name="policy"/>.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(ReusePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<ValidationProblem>();

        var replicas = policy.Replicas;
        if (replicas.Min < 0)
        {
            problems.Add(new(PolicyFields.Replicas, $"min must be 0 or more, got {replicas.Min}"));
        }

        if (replicas.IsFixed && replicas.Max < 1)
        {
            problems.Add(new(PolicyFields.Replicas,
                $"a fixed pool must have at least 1 replica, got {replicas.Max}; use [0, N] for a pool that may go to zero, or remove the environment"));
        }
        else if (replicas.Max < 1)
        {
            problems.Add(new(PolicyFields.Replicas, $"max must be at least 1, got {replicas.Max}"));
        }

        if (replicas.Min > replicas.Max)
        {
            problems.Add(new(PolicyFields.Replicas, $"min ({replicas.Min}) must not be greater than max ({replicas.Max})"));
        }

        if (policy.Concurrency < 1)
        {
            problems.Add(new(PolicyFields.Concurrency, $"must be at least 1, got {policy.Concurrency}"));
        }
        else if (policy.Concurrency > ReusePolicy.MaxConcurrency)
        {
            // The prefetch count of an AMQP channel is a 16-bit number.
            problems.Add(new(PolicyFields.Concurrency, $"must be at most {ReusePolicy.MaxConcurrency}, got {policy.Concurrency}"));
        }

        if (policy.ScaledownTtl <= TimeSpan.Zero)
        {
            problems.Add(new(PolicyFields.ScaledownTtl, $"must be positive, got {DurationText.Format(policy.ScaledownTtl)}"));
        }

        if (policy.IdleTtl is { } idleTtl && idleTtl <= TimeSpan.Zero)
        {
            problems.Add(new(PolicyFields.IdleTtl, $"must be positive, or null to stay always on, got {DurationText.Format(idleTtl)}"));
        }

        if (policy.TaskTimeout is { } taskTimeout && taskTimeout <= TimeSpan.Zero)
        {
            problems.Add(new(PolicyFields.TaskTimeout, $"must be positive, or null for no limit, got {DurationText.Format(taskTimeout)}"));
        }

        if (policy.Retries < 0)
        {
            problems.Add(new(PolicyFields.Retries, $"must be 0 or more, got {policy.Retries}"));
        }

        if (policy.MaxPayloadBytes < 1)
        {
            problems.Add(new(PolicyFields.MaxPayloadBytes, $"must be at least 1 byte, got {policy.MaxPayloadBytes}"));
        }

        if (replicas.Max == 1 && policy.Concurrency == 1)
        {
            problems.Add(new(
                PolicyFields.Replicas,
                "max 1 with concurrency 1 runs one task at a time, so a task that waits for another task "
                + "of the same environment waits forever; raise replicas max or concurrency above 1 if tasks wait on each other",
                ValidationSeverity.Warning));
        }

        return problems;
    }

    /// <summary>Throws when <paramref name="environment"/> has errors; warnings do not throw.</summary>
    /// <exception cref="ReusePolicyException">One or more errors; the exception lists all of them.</exception>
    public static void ThrowIfInvalid(TaskEnvironment environment)
    {
        var errors = Validate(environment).Where(problem => problem.IsError).ToList();
        if (errors.Count > 0)
        {
            throw new ReusePolicyException(environment.Name, errors);
        }
    }

    private static void ValidateReplicaSource(TaskEnvironment environment, List<ValidationProblem> problems)
    {
        if (environment.Command is null && environment.Image is null)
        {
            problems.Add(new(PolicyFields.Command, "missing: set command (process driver) or image (docker driver), or both"));
        }

        if (environment.Image is { } image && string.IsNullOrWhiteSpace(image))
        {
            problems.Add(new(PolicyFields.Image, "must not be empty"));
        }

        if (environment.Command is { } command)
        {
            if (command.Count == 0)
            {
                problems.Add(new(PolicyFields.Command, "must contain at least the executable"));
            }

            for (var i = 0; i < command.Count; i++)
            {
                if (i == 0 ? string.IsNullOrWhiteSpace(command[i]) : command[i] is null)
                {
                    problems.Add(new($"{PolicyFields.Command}[{i}]", i == 0 ? "the executable must not be empty" : "must not be null"));
                }
            }
        }
    }

    private static void ValidateEnvironmentVariables(IReadOnlyDictionary<string, string> variables, List<ValidationProblem> problems)
    {
        foreach (var name in variables.Keys)
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
            {
                problems.Add(new(PolicyFields.Environment, $"invalid variable name '{name}': must be non-empty and contain no '=' or NUL"));
            }
        }
    }
}
