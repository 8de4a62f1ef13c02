namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>A folder of its own for one test, deleted afterwards.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reuseq-test-");

    public string Path(string name) => System.IO.Path.Combine(_directory.FullName, name);

    public string Write(string name, string text)
    {
        var path = Path(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A replica log may still be open; the temp folder is cleaned by the system.
        }
    }
}
