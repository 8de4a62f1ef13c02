namespace ReuseQueue.Cli;

internal static class RepositoryRoot
{
    /// <summary>The nearest folder holding ReuseQueue.sln above the current folder or the CLI's own files.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ReuseQueue.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
