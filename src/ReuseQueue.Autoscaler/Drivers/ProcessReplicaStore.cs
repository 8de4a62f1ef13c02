using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// The process driver's state directory: per replica a record <c>&lt;environment&gt;.&lt;replica id&gt;.json</c>
/// and a log file <c>&lt;environment&gt;.&lt;replica id&gt;.log</c>. Environment names contain no '.', so the
/// first '.' separates the two parts.
/// </summary>
internal sealed partial class ProcessReplicaStore(string directory)
{
    private const string RecordExtension = ".json";
    private const string LogExtension = ".log";

    /// <summary>The rule for replica ids in words, for error messages.</summary>
    public const string ReplicaIdRule =
        "1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>The full path of the state directory.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Returns whether <paramref name="replicaId"/> can be part of a file name in the state directory.</summary>
    public static bool IsValidReplicaId(string? replicaId) => replicaId is not null && ReplicaIdPattern().IsMatch(replicaId);

    public string RecordPath(string environment, string replicaId) =>
        Path.Combine(Directory, $"{environment}.{replicaId}{RecordExtension}");

    public string LogPath(string environment, string replicaId) =>
        Path.Combine(Directory, $"{environment}.{replicaId}{LogExtension}");

    /// <summary>Lists the record files. Returns none when the state directory does not exist yet.</summary>
    public IReadOnlyList<string> ListRecordPaths()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*" + RecordExtension)
            .Where(path => path.EndsWith(RecordExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads one record. Returns null when the file does not exist, for example after a concurrent remove.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid record.</exception>
    public async Task<ProcessReplicaRecord?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, ProcessReplicaJsonContext.Default.ProcessReplicaRecord)
                ?? throw new JsonException("the file contains null");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(
                $"Replica record {path} is invalid ({exception.Message}). " +
                "Delete it once no replica it describes still runs.",
                exception);
        }
    }

    /// <summary>
    /// Writes a record through a temporary file and a rename, so a reader or a crash never leaves half a record.
    /// </summary>
    public async Task WriteAsync(ProcessReplicaRecord record, CancellationToken cancellationToken)
    {
        var path = RecordPath(record.Environment, record.ReplicaId);
        var temporaryPath = path + ".tmp";
        var json = JsonSerializer.Serialize(record, ProcessReplicaJsonContext.Default.ProcessReplicaRecord);
        await File.WriteAllTextAsync(temporaryPath, json, cancellationToken).ConfigureAwait(false);
        File.Move(temporaryPath, path, overwrite: true);
    }

    /// <summary>Deletes a record. The log file stays for diagnosis.</summary>
    public void Delete(string environment, string replicaId) => File.Delete(RecordPath(environment, replicaId));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplicaIdPattern();
}
