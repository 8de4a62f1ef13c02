namespace ReuseQueue.Client;

/// <summary>
/// Reads a secret from an environment variable <c>NAME</c>, or from the file named by <c>NAME_FILE</c>
/// (the convention of Docker and Kubernetes secrets). The file's trailing newline is dropped.
/// </summary>
public static class SecretReader
{
    /// <summary>Returns the secret, or null when neither variable is set.</summary>
    public static string? Read(Func<string, string?> readVariable, string name)
    {
        var value = readVariable(name);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var file = readVariable(name + "_FILE");
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException(
                $"{name}_FILE names '{file}', which could not be read ({exception.Message}). " +
                "Point it at a readable file or set " + name + " instead.", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new InvalidOperationException(
                $"{name}_FILE names '{file}', which this process may not read. Fix the file's permissions.",
                exception);
        }
    }
}
