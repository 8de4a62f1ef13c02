namespace ReuseQueue.Bench.Reporting;

/// <summary>One measured figure, next to the baseline measured in the same run.</summary>
public sealed record Figure
{
    /// <summary>The section number of the report (1 round trip ... 6 footprint).</summary>
    public required int Section { get; init; }

    public required string Name { get; init; }

    /// <summary>The measured value; null when it was not measured, with the reason in <see cref="Note"/>.</summary>
    public double? Value { get; init; }

    public required string Unit { get; init; }

    /// <summary>What the value is compared with, e.g. <c>raw AMQP RPC p50</c>.</summary>
    public string? Baseline { get; init; }

    public double? BaselineValue { get; init; }

    /// <summary>The comparison as a number; <see cref="RatioMeaning"/> says which way round it is.</summary>
    public double? Ratio { get; init; }

    /// <summary>How <see cref="Ratio"/> is computed, e.g. <c>value / baseline</c>.</summary>
    public string? RatioMeaning { get; init; }

    /// <summary>The target the figure is held against, as text; null when it has none.</summary>
    public string? Target { get; init; }

    /// <summary>Whether the target was met; null without a target or without a value.</summary>
    public bool? Met { get; init; }

    public string? Note { get; init; }

    /// <summary>Creates a figure compared with a baseline, with the ratio <c>value / baseline</c>.</summary>
    public static Figure Compared(int section, string name, double value, string unit, string baseline, double baselineValue) => new()
    {
        Section = section,
        Name = name,
        Value = value,
        Unit = unit,
        Baseline = baseline,
        BaselineValue = baselineValue,
        Ratio = baselineValue == 0 ? null : value / baselineValue,
        RatioMeaning = "value / baseline",
    };
}
