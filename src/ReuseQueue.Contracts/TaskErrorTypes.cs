namespace ReuseQueue.Contracts;

/// <summary>Error types that ReuseQueue reports for tasks that never reached a handler or outlived it.</summary>
public static class TaskErrorTypes
{
    /// <summary>The message body is not valid JSON, or not a JSON object.</summary>
    public const string MalformedMessage = "MalformedMessage";

    /// <summary>The message is JSON but lacks a required field or has a field of the wrong type.</summary>
    public const string InvalidMessage = "InvalidMessage";

    /// <summary>The message's content type is not JSON.</summary>
    public const string UnsupportedContentType = "UnsupportedContentType";

    /// <summary>The message body is larger than the environment's payload limit.</summary>
    public const string PayloadTooLarge = "PayloadTooLarge";

    /// <summary>No handler of that name is registered in the environment.</summary>
    public const string UnknownTask = "UnknownTask";

    /// <summary>The task input does not match the handler's input type.</summary>
    public const string InvalidInput = "InvalidInput";

    /// <summary>The handler ran longer than the environment's task timeout and was cancelled.</summary>
    public const string TaskTimedOut = "TaskTimedOut";

    /// <summary>The task's deadline passed before a replica could start it.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";
}
