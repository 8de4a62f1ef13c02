namespace ReuseQueue.Core.Policy;

/// <summary>
/// The field names of a task environment as the config file spells them. <see cref="ValidationProblem.Field"/>
/// uses the same names, so a problem found in code points at the same field as one found in a file.
/// </summary>
public static class PolicyFields
{
    public const string Name = "name";
    public const string Image = "image";
    public const string Command = "command";
    public const string Resources = "resources";
    public const string Environment = "env";
    public const string Replicas = "replicas";
    public const string Concurrency = "concurrency";
    public const string ScaledownTtl = "scaledown_ttl";
    public const string IdleTtl = "idle_ttl";
    public const string Retries = "retries";
    public const string TaskTimeout = "task_timeout";
    public const string MaxPayloadBytes = "max_payload_bytes";
}
