using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReuseQueue.Bench.Reporting;

/// <summary>Writes a report as latest.json and as the markdown table latest.md.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes both files into <paramref name="directory"/> and returns their paths.</summary>
    public static (string Json, string Markdown) Write(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var jsonPath = Path.Combine(directory, "latest.json");
        var markdownPath = Path.Combine(directory, "latest.md");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, JsonOptions) + "\n");
        File.WriteAllText(markdownPath, ToMarkdown(report));
        return (jsonPath, markdownPath);
    }

    public static string ToMarkdown(BenchReport report)
    {
        var text = new StringBuilder();
        var machine = report.Machine;
        text.AppendLine($"# ReuseQueue benchmark ({report.Mode} run)");
        text.AppendLine();
        text.AppendLine($"Run `{report.RunId}` started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC and took {report.DurationSeconds:0} s.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("| --- | --- |");
        text.AppendLine($"| cores | {machine.LogicalCores} logical ({machine.CpuModel ?? "model unknown"}) |");
        text.AppendLine($"| memory | {(machine.MemoryBytes is { } bytes ? $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB" : "unknown")} |");
        text.AppendLine($"| OS | {machine.OperatingSystem} |");
        text.AppendLine($"| .NET | {machine.DotnetRuntime} |");
        text.AppendLine($"| load average (1 min) at start / end | {Number(machine.LoadAverageAtStart)} / {Number(machine.LoadAverageAtEnd)} |");
        foreach (var (name, version) in machine.Packages)
        {
            text.AppendLine($"| {name} | {version} |");
        }

        foreach (var (name, version) in machine.Services)
        {
            text.AppendLine($"| {name} | {version} |");
        }

        text.AppendLine();
        text.AppendLine("| setting | value |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in report.Settings)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        foreach (var section in report.Figures.GroupBy(figure => figure.Section).OrderBy(group => group.Key))
        {
            text.AppendLine();
            text.AppendLine($"## {section.Key}. {BenchReport.SectionTitles.GetValueOrDefault(section.Key, "Other")}");
            text.AppendLine();
            text.AppendLine("| figure | value | baseline | baseline value | ratio | target | met |");
            text.AppendLine("| --- | ---: | --- | ---: | ---: | --- | --- |");
            foreach (var figure in section)
            {
                var value = figure.Value is { } measured ? $"{Number(measured)} {figure.Unit}" : $"not measured: {figure.Note}";
                var baselineValue = figure.BaselineValue is { } baseline ? $"{Number(baseline)} {figure.Unit}" : "";
                var ratio = figure.Ratio is { } r ? $"{Number(r)}x ({figure.RatioMeaning})" : "";
                var met = figure.Met switch { true => "met", false => "**missed**", null => "" };
                text.AppendLine($"| {figure.Name} | {value} | {figure.Baseline} | {baselineValue} | {ratio} | {figure.Target} | {met} |");
            }

            var notes = section.Where(figure => figure.Value is not null && figure.Note is not null).ToList();
            if (notes.Count > 0)
            {
                text.AppendLine();
                foreach (var figure in notes)
                {
                    text.AppendLine($"- {figure.Name}: {figure.Note}");
                }
            }
        }

        if (!report.AutoscalerDecisions.IsEmpty)
        {
            text.AppendLine();
            text.AppendLine("## Autoscaler decisions that acted (section 4)");
            text.AppendLine();
            foreach (var line in report.AutoscalerDecisions)
            {
                text.AppendLine($"- {line}");
            }
        }

        if (!report.Notes.IsEmpty)
        {
            text.AppendLine();
            text.AppendLine("## Notes");
            text.AppendLine();
            foreach (var note in report.Notes)
            {
                text.AppendLine($"- {note}");
            }
        }

        if (!report.Errors.IsEmpty)
        {
            text.AppendLine();
            text.AppendLine("## Harness errors");
            text.AppendLine();
            foreach (var error in report.Errors)
            {
                text.AppendLine($"- {error}");
            }
        }

        return text.ToString();
    }

    /// <summary>Formats with three significant digits, and plain integers from 1,000 up.</summary>
    public static string Number(double? value)
    {
        if (value is not { } number)
        {
            return "n/a";
        }

        var magnitude = Math.Abs(number);
        string format;
        if (magnitude >= 1000)
        {
            format = "#,0";
        }
        else if (magnitude >= 100)
        {
            format = "0";
        }
        else if (magnitude >= 10)
        {
            format = "0.0";
        }
        else if (magnitude >= 1)
        {
            format = "0.00";
        }
        else
        {
            format = "0.000";
        }

        return number.ToString(format, CultureInfo.InvariantCulture);
    }
}
