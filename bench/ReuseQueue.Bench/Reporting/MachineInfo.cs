using System.Reflection;
using System.Runtime.InteropServices;

namespace ReuseQueue.Bench.Reporting;

/// <summary>The machine and software a run measured on.</summary>
public sealed record MachineInfo
{
    public required int LogicalCores { get; init; }

    public string? CpuModel { get; init; }

    public long? MemoryBytes { get; init; }

    public required string OperatingSystem { get; init; }

    public required string DotnetRuntime { get; init; }

    /// <summary>The 1-minute load average from /proc/loadavg when the run started; other work on the machine raises it.</summary>
    public double? LoadAverageAtStart { get; init; }

    public double? LoadAverageAtEnd { get; set; }

    /// <summary>Versions of the packages that carry the measured traffic, read from their assemblies.</summary>
    public required IReadOnlyDictionary<string, string> Packages { get; init; }

    /// <summary>Versions that the broker and Redis report.</summary>
    public Dictionary<string, string> Services { get; init; } = [];

    public static MachineInfo Collect() => new()
    {
        LogicalCores = Environment.ProcessorCount,
        CpuModel = ReadProcField("/proc/cpuinfo", "model name"),
        MemoryBytes = ReadProcField("/proc/meminfo", "MemTotal") is { } total ? long.Parse(total.Split(' ')[0]) * 1024 : null,
        OperatingSystem = $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
        DotnetRuntime = $"{RuntimeInformation.FrameworkDescription} ({Environment.Version})",
        LoadAverageAtStart = LoadAverage(),
        Packages = new SortedDictionary<string, string>
        {
            ["RabbitMQ.Client"] = VersionOf(typeof(RabbitMQ.Client.IConnection).Assembly),
            ["MassTransit"] = VersionOf(typeof(MassTransit.IBus).Assembly),
            ["MassTransit.RabbitMQ"] = VersionOf(typeof(MassTransit.RabbitMqBusFactoryConfiguratorExtensions).Assembly),
            ["StackExchange.Redis"] = VersionOf(typeof(StackExchange.Redis.ConnectionMultiplexer).Assembly),
            ["ReuseQueue.Client"] = VersionOf(typeof(ReuseQueue.Client.ReuseQueueClient).Assembly),
        },
    };

    /// <summary>Returns the 1-minute load average, or null where /proc/loadavg is missing.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The informational version may carry a source revision after '+', which is cut off.
    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return (informational ?? assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];
    }

    private static string? ReadProcField(string path, string field)
    {
        try
        {
            return File.ReadLines(path)
                .Where(line => line.StartsWith(field, StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
