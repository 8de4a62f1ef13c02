using ReuseQueue.Core.Configuration;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string OneEnvironment = """
        environments:
          - name: alpha
            command: [worker]
            replicas: [1, 3]
        """;

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(variable => variable.Name, variable => variable.Value);
        return name => values.GetValueOrDefault(name);
    }

    [Fact]
    public void Load_ExampleConfig_LoadsEveryField()
    {
        var config = ConfigLoader.Load(FindRepositoryFile("config/example.yaml"), _ => null);

        Assert.Empty(config.Warnings);
        Assert.Equal(new Uri("amqp://127.0.0.1:5672/"), config.Broker.AmqpUri);
        Assert.Equal(new Uri("http://127.0.0.1:15672/"), config.Broker.ManagementUrl);
        Assert.Equal("127.0.0.1:6379", config.Redis.Configuration);
        Assert.Equal("reuseq:", config.Redis.KeyPrefix);
        Assert.Equal(ReplicaDriverKind.Process, config.Autoscaler.Driver);
        Assert.Equal(TimeSpan.FromSeconds(1), config.Autoscaler.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Autoscaler.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Autoscaler.GracePeriod);
        Assert.Equal(["reuseq/*"], config.Autoscaler.AllowedImages);

        var environment = Assert.Single(config.Environments);
        Assert.Equal("example", environment.Name);
        Assert.Equal("reuseq/example-worker:latest", environment.Image);
        Assert.Equal(["dotnet", "workers/ReuseQueue.ExampleWorker/bin/Release/net10.0/ReuseQueue.ExampleWorker.dll"], environment.Command);
        Assert.Equal(new ResourceRequirements(Memory: 536_870_912, Cpu: 500), environment.Resources);
        Assert.Equal(new ReplicaRange(1, 4), environment.Policy.Replicas);
        Assert.Equal(2, environment.Policy.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(30), environment.Policy.ScaledownTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), environment.Policy.IdleTtl);
        Assert.Equal(0, environment.Policy.Retries);
        Assert.Null(environment.Policy.TaskTimeout);
        Assert.Equal(ReusePolicy.DefaultMaxPayloadBytes, environment.Policy.MaxPayloadBytes);
    }

    [Fact]
    public void Load_TestDataConfig_AppliesDefaultsForAbsentSections()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Configuration", "TestData", "valid.yaml");

        var config = ConfigLoader.Load(path, _ => null);

        Assert.Equal(path, config.SourceName);
        Assert.Equal(BrokerSettings.DefaultAmqpUri, config.Broker.AmqpUri);
        Assert.Equal(RedisSettings.DefaultConfiguration, config.Redis.Configuration);
        Assert.Equal(new AutoscalerSettings().HeartbeatTimeout, config.Autoscaler.HeartbeatTimeout);
        var environment = Assert.Single(config.Environments);
        Assert.Equal(["dotnet", "echo-worker.dll", "--verbose"], environment.Command);
        Assert.Equal(new ReplicaRange(0, 2), environment.Policy.Replicas);
        Assert.Equal(4, environment.Policy.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(90), environment.Policy.ScaledownTtl);
        Assert.Null(environment.Policy.IdleTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(500), environment.Policy.TaskTimeout);
        Assert.Equal("debug", environment.EnvironmentVariables["LOG_LEVEL"]);
        Assert.Equal(ResourceRequirements.None, environment.Resources);
    }

    [Fact]
    public void LoadFromString_IdleTtlNull_MeansAlwaysOn()
    {
        var config = ConfigLoader.LoadFromString(OneEnvironment + "\n    idle_ttl: null\n", "test.yaml", _ => null);

        Assert.Null(config.Environments[0].Policy.IdleTtl);
    }

    [Fact]
    public void LoadFromString_MaxOneConcurrencyOne_ReturnsWarningWithPosition()
    {
        var config = ConfigLoader.LoadFromString("""
            environments:
              - name: alpha
                command: [worker]
                replicas: 1
            """, "test.yaml", _ => null);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal(ValidationSeverity.Warning, warning.Severity);
        Assert.Equal(4, warning.Line);
        Assert.Equal(15, warning.Column);
        Assert.StartsWith("test.yaml:4:15: environments[0].replicas: warning: max 1 with concurrency 1 runs one task at a time", warning.ToString());
    }

    [Fact]
    public void LoadFromString_TaskTimeoutReachesConsumerTimeout_ReturnsWarning()
    {
        var config = ConfigLoader.LoadFromString("""
            broker:
              consumer_timeout: 5s
            environments:
              - name: alpha
                command: [worker]
                replicas: [0, 2]
                task_timeout: 10s
            """, "test.yaml", _ => null);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Broker.ConsumerTimeout);
        Assert.Equal(
            "test.yaml:7:19: environments[0].task_timeout: warning: 10s is not below broker.consumer_timeout 5s: the broker " +
            "would close the replica's channel and requeue the task while it still runs. Raise consumer_timeout in " +
            "rabbitmq.conf and broker.consumer_timeout here, or shorten task_timeout",
            warning.ToString());
    }

    [Fact]
    public void LoadFromString_EnvironmentVariables_OverrideFile()
    {
        var variables = Variables(
            (ConfigEnvironmentVariables.AmqpUri, "amqps://rabbit.internal:5671/prod"),
            (ConfigEnvironmentVariables.ManagementUrl, "https://rabbit.internal:15671/"),
            (ConfigEnvironmentVariables.AmqpUser, "autoscaler"),
            (ConfigEnvironmentVariables.Redis, "redis.internal:6380,ssl=true"),
            (ConfigEnvironmentVariables.KeyPrefix, "test-7:"));

        var config = ConfigLoader.LoadFromString(OneEnvironment, "test.yaml", variables);

        Assert.Equal(new Uri("amqps://rabbit.internal:5671/prod"), config.Broker.AmqpUri);
        Assert.Equal(new Uri("https://rabbit.internal:15671/"), config.Broker.ManagementUrl);
        Assert.Equal("autoscaler", config.Broker.User);
        Assert.Equal("redis.internal:6380,ssl=true", config.Redis.Configuration);
        Assert.Equal("test-7:", config.Redis.KeyPrefix);
    }

    [Fact]
    public void LoadFromString_PasswordVariables_SetPasswordsButToStringHidesThem()
    {
        var secretFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secretFile, "redis-secret-value\n");
            var variables = Variables(
                (ConfigEnvironmentVariables.AmqpPassword, "amqp-secret-value"),
                (ConfigEnvironmentVariables.RedisPasswordFile, secretFile));

            var config = ConfigLoader.LoadFromString(OneEnvironment, "test.yaml", variables);

            Assert.Equal("amqp-secret-value", config.Broker.Password);
            Assert.Equal("redis-secret-value", config.Redis.Password);
            Assert.Equal("amqp_uri=amqp://127.0.0.1:5672/, management_url=http://127.0.0.1:15672/, user=(default), password=(set)", config.Broker.ToString());
            Assert.Equal("configuration=127.0.0.1:6379, key_prefix=reuseq:, password=(set)", config.Redis.ToString());
            Assert.DoesNotContain("secret", config.ToString());
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Theory]
    [InlineData(ConfigEnvironmentVariables.AmqpUri, "http://127.0.0.1:5672/",
        "environment: REUSEQ_AMQP_URI: invalid AMQP URI 'http://127.0.0.1:5672/': use amqp://host:port/ or amqps://host:port/, e.g. amqp://127.0.0.1:5672/")]
    [InlineData(ConfigEnvironmentVariables.AmqpUri, "amqp://guest:hunter2@127.0.0.1/",
        "environment: REUSEQ_AMQP_URI: the URI must not contain a password; set REUSEQ_AMQP_PASSWORD or REUSEQ_AMQP_PASSWORD_FILE instead")]
    [InlineData(ConfigEnvironmentVariables.Redis, "127.0.0.1:6379,password=hunter2",
        "environment: REUSEQ_REDIS: the configuration string must not contain a password; set REUSEQ_REDIS_PASSWORD or REUSEQ_REDIS_PASSWORD_FILE instead")]
    public void LoadFromString_InvalidOverride_NamesVariable(string variable, string value, string expected)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString(OneEnvironment, "test.yaml", Variables((variable, value))));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(expected, error.ToString());
        Assert.DoesNotContain("hunter2", exception.Message);
    }

    [Fact]
    public void LoadFromString_PasswordAndPasswordFile_AsksForOne()
    {
        var variables = Variables((ConfigEnvironmentVariables.AmqpPassword, "a"), (ConfigEnvironmentVariables.AmqpPasswordFile, "/run/secrets/amqp"));

        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString(OneEnvironment, "test.yaml", variables));

        Assert.Equal(
            "environment: REUSEQ_AMQP_PASSWORD_FILE: set either REUSEQ_AMQP_PASSWORD or REUSEQ_AMQP_PASSWORD_FILE, not both",
            Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void LoadFromString_PasswordKey_IsRejectedWithoutEchoingIt()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString("""
            broker:
              amqp_uri: amqp://127.0.0.1:5672/
              password: hunter2
            redis:
              password: hunter2
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
            """, "test.yaml", _ => null));

        Assert.Equal(
            [
                "test.yaml:3:3: broker.password: a password must not be written in a config file; set REUSEQ_AMQP_PASSWORD or REUSEQ_AMQP_PASSWORD_FILE instead",
                "test.yaml:5:3: redis.password: a password must not be written in a config file; set REUSEQ_REDIS_PASSWORD or REUSEQ_REDIS_PASSWORD_FILE instead",
            ],
            exception.Errors.Select(error => error.ToString()));
        Assert.DoesNotContain("hunter2", exception.Message);
    }

    [Fact]
    public void LoadFromString_PasswordInAmqpUri_IsRejectedWithoutEchoingIt()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromString("""
            broker:
              amqp_uri: amqp://guest:hunter2@127.0.0.1:5672/
            environments:
              - name: alpha
                command: [worker]
                replicas: [1, 3]
            """, "test.yaml", _ => null));

        Assert.Equal(
            "test.yaml:2:13: broker.amqp_uri: the URI must not contain a password; set REUSEQ_AMQP_PASSWORD or REUSEQ_AMQP_PASSWORD_FILE instead",
            Assert.Single(exception.Errors).ToString());
        Assert.DoesNotContain("hunter2", exception.Message);
    }

    [Fact]
    public void LoadFromString_UserInAmqpUri_SetsUser()
    {
        var config = ConfigLoader.LoadFromString("broker:\n  amqp_uri: amqp://worker@127.0.0.1:5672/\n" + OneEnvironment, "test.yaml", _ => null);

        Assert.Equal("worker", config.Broker.User);
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found in any parent of {AppContext.BaseDirectory}");
    }
}
