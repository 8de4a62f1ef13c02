namespace ReuseQueue.Contracts;

/// <summary>AMQP header names that ReuseQueue sets on messages it moves to an error queue.</summary>
public static class MessageHeaders
{
    /// <summary>Why the message failed or was rejected, in one sentence.</summary>
    public const string ErrorReason = "x-reuseq-error-reason";

    /// <summary>The .NET type name of the exception a handler threw, or a ReuseQueue error type.</summary>
    public const string ErrorType = "x-reuseq-error-type";

    /// <summary>The replica that gave up on the message.</summary>
    public const string ReplicaId = "x-reuseq-replica";

    /// <summary>When the message was moved to the error queue, as an ISO 8601 UTC timestamp.</summary>
    public const string FailedAt = "x-reuseq-failed-at";
}
