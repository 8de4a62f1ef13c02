using ReuseQueue.Core.Configuration;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Tests.Configuration;

public sealed class ConfigLoaderErrorTests
{
    private const string Source = "test.yaml";

    private const string AllowedEnvironmentFields =
        "name, command, image, resources, env, replicas, concurrency, scaledown_ttl, idle_ttl, retries, task_timeout, max_payload_bytes";

    private static List<string> LoadErrors(string yaml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString(yaml, Source, _ => null));
        return exception.Errors.Select(error => error.ToString()).ToList();
    }

    [Fact]
    public void LoadFromString_MinAboveMax_PointsAtReplicas()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: [worker]
                replicas: [6, 5]
            """);

        Assert.Equal(["test.yaml:4:15: environments[0].replicas: min (6) must not be greater than max (5)"], errors);
    }

    [Fact]
    public void LoadFromString_NegativeTtl_PointsAtTtl()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
                scaledown_ttl: -5s
                idle_ttl: 0s
            """);

        Assert.Equal(
            [
                $"test.yaml:5:20: environments[0].scaledown_ttl: invalid duration '-5s': must not be negative; use {DurationText.Forms}",
                "test.yaml:6:15: environments[0].idle_ttl: must be positive, or null to stay always on, got 0s",
            ],
            errors);
    }

    [Fact]
    public void LoadFromString_UnknownField_ListsAllowedFields()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
                scale_down: 30s
            """);

        Assert.Equal(
            [$"test.yaml:5:5: environments[0].scale_down: unknown field 'scale_down'; allowed fields: {AllowedEnvironmentFields}"],
            errors);
    }

    [Fact]
    public void LoadFromString_UnknownRootField_ListsSections()
    {
        var errors = LoadErrors("""
            brokers:
              amqp_uri: amqp://127.0.0.1:5672/
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
            """);

        Assert.Equal(["test.yaml:1:1: brokers: unknown field 'brokers'; allowed fields: broker, redis, autoscaler, environments"], errors);
    }

    [Theory]
    [InlineData("30", "missing unit; ")]
    [InlineData("abc", "")]
    [InlineData("1.5m", "")]
    public void LoadFromString_BadDuration_NamesAcceptedForms(string duration, string hint)
    {
        var errors = LoadErrors($"""
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
                scaledown_ttl: {duration}
            """);

        Assert.Equal([$"test.yaml:5:20: environments[0].scaledown_ttl: invalid duration '{duration}': {hint}use {DurationText.Forms}"], errors);
    }

    [Fact]
    public void LoadFromString_DuplicateEnvironment_NamesFirstPosition()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
              - name: alpha
                command: [worker]
                replicas: [1, 3]
            """);

        Assert.Equal(["test.yaml:5:11: environments[1].name: duplicate environment name 'alpha'; first defined at test.yaml:2:11"], errors);
    }

    [Fact]
    public void LoadFromString_WrongTypes_NameExpectedAndReceived()
    {
        var errors = LoadErrors("""
            autoscaler:
              tick_interval: [1s]
            environments:
              - name: alpha
                command: worker
                replicas: {min: 1, max: 3}
                concurrency: two
                env: [A]
            """);

        Assert.Equal(
            [
                $"test.yaml:2:18: autoscaler.tick_interval: expected a duration ({DurationText.Forms}), got a list",
                "test.yaml:5:14: environments[0].command: expected a list of strings (the executable and its arguments), got 'worker'",
                "test.yaml:6:15: environments[0].replicas: expected a whole number for a fixed pool (e.g. 3) or a list [min, max] (e.g. [2, 5]), got a mapping",
                "test.yaml:7:18: environments[0].concurrency: expected a whole number, got 'two'",
                "test.yaml:8:10: environments[0].env: expected a mapping of names to strings, got a list",
            ],
            errors);
    }

    [Fact]
    public void LoadFromString_UnclosedQuote_ReportsSyntaxErrorPosition()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: ["worker]
            """);

        Assert.Equal(["test.yaml:3:15: invalid YAML: While scanning a quoted scalar, found unexpected end of stream."], errors);
    }

    [Fact]
    public void LoadFromString_BadIndentation_ReportsSyntaxErrorPosition()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
               command: [worker]
            """);

        var error = Assert.Single(errors);
        Assert.Equal("test.yaml:3:4: invalid YAML: While parsing a block collection, did not find expected '-' indicator.", error);
    }

    [Fact]
    public void LoadFromString_UnclosedFlowList_ReportsSyntaxErrorPosition()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                command: [worker
                replicas: 2
            """);

        var error = Assert.Single(errors);
        Assert.Equal("test.yaml:4:5: invalid YAML near here, e.g. an unclosed '[' or '{'", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("~")]
    public void LoadFromString_EmptyFile_SaysSo(string yaml)
    {
        var errors = LoadErrors(yaml);

        Assert.Equal(["test.yaml:1:1: the file is empty; it must list at least one task environment under 'environments'"], errors);
    }

    [Fact]
    public void LoadFromString_MissingNameAndReplicaSource_ReportsBoth()
    {
        var errors = LoadErrors("""
            environments:
              - command: [worker]
                replicas: [1, 3]
              - name: beta
                replicas: [1, 3]
            """);

        Assert.Equal(
            [
                "test.yaml:2:5: environments[0].name: missing required field; give the environment a name",
                "test.yaml:4:5: environments[1].command: missing: set command (process driver) or image (docker driver), or both",
            ],
            errors);
    }

    [Fact]
    public void LoadFromString_NoEnvironments_AsksForOne()
    {
        var errors = LoadErrors("""
            broker:
              amqp_uri: amqp://127.0.0.1:5672/
            """);

        Assert.Equal(["test.yaml:1:1: environments: missing required field; list at least one task environment"], errors);
    }

    [Fact]
    public void LoadFromString_HeartbeatTimeoutBelowThreeBeats_ReportsMinimum()
    {
        var errors = LoadErrors("""
            autoscaler:
              heartbeat_timeout: 100ms
            environments:
              - name: alpha
                command: [worker]
            """);

        Assert.Equal(
            ["test.yaml:2:22: autoscaler.heartbeat_timeout: must be at least 3s (three 1 s heartbeat intervals), got 100ms"],
            errors);
    }

    [Fact]
    public void LoadFromString_ManyProblems_ReportsAllInFileOrder()
    {
        var errors = LoadErrors("""
            autoscaler:
              driver: kubernetes
              heartbeat_timeout: 0s
            environments:
              - name: Alpha
                command: [worker]
                replicas: [6, 5]
                concurrency: 0
                retries: -1
              - name: beta
                image: reuseq/beta:1
                command: [worker]
                resources: { memory: 512MB, cpu: 500m }
                max_payload_bytes: 0
            """);

        Assert.Equal(
            [
                "test.yaml:2:11: autoscaler.driver: unknown driver 'kubernetes'; allowed: process, docker",
                "test.yaml:3:22: autoscaler.heartbeat_timeout: must be positive, got 0s",
                "test.yaml:5:11: environments[0].name: invalid environment name 'Alpha': use 1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                "test.yaml:7:15: environments[0].replicas: min (6) must not be greater than max (5)",
                "test.yaml:8:18: environments[0].concurrency: must be at least 1, got 0",
                "test.yaml:9:14: environments[0].retries: must be 0 or more, got -1",
                $"test.yaml:13:26: environments[1].resources.memory: invalid memory quantity '512MB': use {ResourceQuantity.MemoryForms}",
                "test.yaml:14:24: environments[1].max_payload_bytes: must be at least 1 byte, got 0",
            ],
            errors);
    }

    [Fact]
    public void LoadFromString_MessageListsOneErrorPerLine()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString("""
            environments:
              - name: alpha
                command: [worker]
                replicas: [6, 5]
                concurrency: 0
            """, Source, _ => null));

        Assert.Equal(
            "test.yaml:4:15: environments[0].replicas: min (6) must not be greater than max (5)" + Environment.NewLine
            + "test.yaml:5:18: environments[0].concurrency: must be at least 1, got 0",
            exception.Message);
    }

    [Fact]
    public void LoadFromString_DockerImageNotAllowed_NamesPatterns()
    {
        var errors = LoadErrors("""
            autoscaler:
              driver: docker
              allowed_images: ["reuseq/*", "ghcr.io/acme/*"]
            environments:
              - name: alpha
                image: docker.io/evil/miner:latest
                replicas: [1, 3]
            """);

        Assert.Equal(
            ["test.yaml:6:12: environments[0].image: image 'docker.io/evil/miner:latest' matches none of autoscaler.allowed_images (reuseq/*, ghcr.io/acme/*); add a pattern or use an allowed image"],
            errors);
    }

    [Fact]
    public void LoadFromString_ProcessDriverWithoutCommand_AsksForCommand()
    {
        var errors = LoadErrors("""
            environments:
              - name: alpha
                image: reuseq/alpha:1
                replicas: [1, 3]
            """);

        Assert.Equal(
            ["test.yaml:2:5: environments[0].command: missing: driver 'process' starts replicas from a command; set command or set autoscaler.driver to docker"],
            errors);
    }

    [Fact]
    public void Load_MissingFile_NamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reuseq-missing-{Guid.NewGuid():N}.yaml");

        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, _ => null));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(path, error.Source);
        Assert.StartsWith($"{path}: cannot read the config file: ", error.ToString());
    }
}
