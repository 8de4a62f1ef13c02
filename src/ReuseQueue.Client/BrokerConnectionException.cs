namespace ReuseQueue.Client;

/// <summary>The broker could not be reached or rejected the login; the message names the cause and the fix.</summary>
public sealed class BrokerConnectionException(string message, Exception? innerException = null)
    : Exception(message, innerException);
