namespace ReuseQueue.Client;

/// <summary>The broker could not be reached or rejected the login; the message says which and what to do.</summary>
public sealed class BrokerConnectionException(string message, Exception? innerException = null)
    : Exception(message, innerException);
