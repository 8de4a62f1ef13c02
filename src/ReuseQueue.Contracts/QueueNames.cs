namespace ReuseQueue.Contracts;

/// <summary>RabbitMQ queue names of a task environment.</summary>
public static class QueueNames
{
    /// <summary>The prefix of every task queue.</summary>
    public const string Prefix = "reuse.";

    /// <summary>The durable queue that holds an environment's tasks: <c>reuse.&lt;environment&gt;</c>.</summary>
    public static string TaskQueue(string environment) => Prefix + EnvironmentName.Require(environment);

    /// <summary>
    /// The durable queue that receives an environment's failed and rejected task messages,
    /// with the reason in the <see cref="MessageHeaders.ErrorReason"/> header.
    /// </summary>
    public static string ErrorQueue(string environment) => TaskQueue(environment) + ".error";
}
