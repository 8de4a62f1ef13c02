namespace ReuseQueue.Contracts;

/// <summary>Constants of the AMQP wire format.</summary>
public static class WireFormat
{
    /// <summary>The content type of task messages and results.</summary>
    public const string ContentType = "application/json";

    /// <summary>The AMQP <c>type</c> property set on task messages published by the client SDK.</summary>
    public const string TaskMessageType = "reuseq.task";

    /// <summary>The AMQP <c>type</c> property set on result messages.</summary>
    public const string TaskResultType = "reuseq.result";
}
