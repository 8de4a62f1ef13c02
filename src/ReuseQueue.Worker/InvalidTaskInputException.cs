namespace ReuseQueue.Worker;

/// <summary>A task's input does not fit its handler's input type; the message says how.</summary>
public sealed class InvalidTaskInputException(string message, Exception? innerException = null)
    : Exception(message, innerException);
