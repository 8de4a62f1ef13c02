using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Tests.Policy;

public sealed class PolicyValidatorTests
{
    private static readonly ReusePolicy ValidPolicy = new() { Replicas = new ReplicaRange(1, 4), Concurrency = 2 };

    public static TheoryData<string, ReusePolicy, string> BrokenRules => new()
    {
        { "min above max", ValidPolicy with { Replicas = new(6, 5) }, "replicas: min (6) must not be greater than max (5)" },
        { "fixed 0", ValidPolicy with { Replicas = new(0, 0) }, "replicas: a fixed pool must have at least 1 replica, got 0; use [0, N] for a pool that may go to zero, or remove the environment" },
        { "concurrency above prefetch range", ValidPolicy with { Concurrency = 65536 }, "concurrency: must be at most 65535, got 65536" },
        { "negative min", ValidPolicy with { Replicas = new(-1, 3) }, "replicas: min must be 0 or more, got -1" },
        { "concurrency 0", ValidPolicy with { Concurrency = 0 }, "concurrency: must be at least 1, got 0" },
        { "scaledown zero", ValidPolicy with { ScaledownTtl = TimeSpan.Zero }, "scaledown_ttl: must be positive, got 0s" },
        { "scaledown negative", ValidPolicy with { ScaledownTtl = TimeSpan.FromSeconds(-5) }, "scaledown_ttl: must be positive, got -5s" },
        { "idle zero", ValidPolicy with { IdleTtl = TimeSpan.Zero }, "idle_ttl: must be positive, or null to stay always on, got 0s" },
        { "timeout negative", ValidPolicy with { TaskTimeout = TimeSpan.FromMilliseconds(-1500) }, "task_timeout: must be positive, or null for no limit, got -1s500ms" },
        { "retries negative", ValidPolicy with { Retries = -1 }, "retries: must be 0 or more, got -1" },
        { "payload 0", ValidPolicy with { MaxPayloadBytes = 0 }, "max_payload_bytes: must be at least 1 byte, got 0" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Validate_BrokenRule_ReportsFieldRuleAndValue(string rule, ReusePolicy policy, string expected)
    {
        var problems = PolicyValidator.Validate(policy);

        var problem = Assert.Single(problems);
        Assert.True(problem.IsError, rule);
        Assert.Equal(expected, problem.ToString());
    }

    [Fact]
    public void Validate_ValidPolicy_ReportsNothing()
    {
        Assert.Empty(PolicyValidator.Validate(ValidPolicy));
    }

    [Fact]
    public void Validate_SeveralBrokenRules_ReportsAllAtOnce()
    {
        var policy = new ReusePolicy { Replicas = new(6, 5), Concurrency = 0, Retries = -2, IdleTtl = TimeSpan.FromSeconds(-1) };

        var problems = PolicyValidator.Validate(policy).Select(problem => problem.ToString()).ToList();

        Assert.Equal(
            [
                "replicas: min (6) must not be greater than max (5)",
                "concurrency: must be at least 1, got 0",
                "idle_ttl: must be positive, or null to stay always on, got -1s",
                "retries: must be 0 or more, got -2",
            ],
            problems);
    }

    [Fact]
    public void Validate_MaxOneWithConcurrencyOne_WarnsAboutWaitingTasks()
    {
        var problems = PolicyValidator.Validate(new ReusePolicy { Replicas = ReplicaRange.Fixed(1), Concurrency = 1 });

        var warning = Assert.Single(problems);
        Assert.Equal(ValidationSeverity.Warning, warning.Severity);
        Assert.Equal("replicas", warning.Field);
        Assert.Equal(
            "max 1 with concurrency 1 runs one task at a time, so a task that waits for another task of the same environment "
            + "waits forever; raise replicas max or concurrency above 1 if tasks wait on each other",
            warning.Message);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("under_score")]
    [InlineData("-leading")]
    [InlineData("")]
    public void Validate_InvalidEnvironmentName_NamesTheRule(string name)
    {
        var environment = new TaskEnvironment { Name = name, Command = ["worker"], Policy = ValidPolicy };

        var problem = Assert.Single(PolicyValidator.Validate(environment));

        Assert.Equal(
            $"name: invalid environment name '{name}': use 1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
            problem.ToString());
    }

    [Fact]
    public void Validate_NoCommandAndNoImage_AsksForOne()
    {
        var environment = new TaskEnvironment { Name = "alpha", Policy = ValidPolicy };

        var problem = Assert.Single(PolicyValidator.Validate(environment));

        Assert.Equal("command: missing: set command (process driver) or image (docker driver), or both", problem.ToString());
    }

    [Fact]
    public void Validate_EmptyCommand_AsksForExecutable()
    {
        var environment = new TaskEnvironment { Name = "alpha", Command = [], Policy = ValidPolicy };

        var problem = Assert.Single(PolicyValidator.Validate(environment));

        Assert.Equal("command: must contain at least the executable", problem.ToString());
    }

    [Fact]
    public void ThrowIfInvalid_SeveralErrors_ListsEveryErrorButNoWarning()
    {
        var environment = new TaskEnvironment
        {
            Name = "Bad Name",
            Command = ["worker"],
            Policy = new ReusePolicy { Replicas = new(0, 1), Concurrency = 1, MaxPayloadBytes = 0 },
        };

        var exception = Assert.Throws<ReusePolicyException>(() => PolicyValidator.ThrowIfInvalid(environment));

        Assert.Equal("Bad Name", exception.Environment);
        Assert.Equal(2, exception.Problems.Count);
        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "Invalid task environment 'Bad Name' (2 problems):",
                "  name: invalid environment name 'Bad Name': use 1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                "  max_payload_bytes: must be at least 1 byte, got 0"),
            exception.Message);
    }
}
