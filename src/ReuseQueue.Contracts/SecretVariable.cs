namespace ReuseQueue.Contracts;

/// <summary>
/// Reads a secret from an environment variable <c>NAME</c>, or from the file named by <c>NAME_FILE</c>
/// (the convention of Docker and Kubernetes secrets). The client and the config loader both read
/// passwords this way, so the rules are the same everywhere.
/// </summary>
public static class SecretVariable
{
    /// <summary>
    /// Returns the secret, or null when neither variable is set or the secret could not be read.
    /// One trailing line break of a file is dropped. Setting both variables, an unreadable file and an
    /// empty file are errors.
    /// </summary>
    /// <param name="error">What was wrong, naming the file but never its content; null when nothing was.</param>
    public static string? Read(Func<string, string?> readVariable, string variable, out string? error)
    {
        var fileVariable = variable + "_FILE";
        var value = NullIfEmpty(readVariable(variable));
        var path = NullIfEmpty(readVariable(fileVariable));
        error = null;
        if (value is not null && path is not null)
        {
            error = $"set either {variable} or {fileVariable}, not both";
            return null;
        }

        if (path is null)
        {
            return value;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The message of these exceptions names the path and the cause, never the file's content.
            error = $"cannot read the secret file '{path}': {exception.Message}";
            return null;
        }

        var secret = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
        if (secret.Length == 0)
        {
            error = $"the secret file '{path}' is empty";
            return null;
        }

        return secret;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
