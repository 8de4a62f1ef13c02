namespace ReuseQueue.IntegrationTests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds ReuseQueue.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReuseQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ReuseQueue.sln above {AppContext.BaseDirectory}.");
    }
}
