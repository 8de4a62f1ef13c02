using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Tests.Policy;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("512Mi", 536_870_912L)]
    [InlineData("1Gi", 1_073_741_824L)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("1000000", 1_000_000L)]
    [InlineData("1.5Gi", 1_610_612_736L)]
    [InlineData("128k", 128_000L)]
    [InlineData("64Ki", 65_536L)]
    [InlineData("0.1Ki", 103L)]
    public void ParseMemory_ValidQuantity_ReturnsBytes(string text, long expected)
    {
        Assert.Equal(expected, ResourceQuantity.ParseMemory(text));
    }

    [Theory]
    [InlineData("500m", 500L)]
    [InlineData("1", 1000L)]
    [InlineData("0.5", 500L)]
    [InlineData("2", 2000L)]
    [InlineData("1.25", 1250L)]
    public void ParseCpu_ValidQuantity_ReturnsMillicores(string text, long expected)
    {
        Assert.Equal(expected, ResourceQuantity.ParseCpu(text));
    }

    [Theory]
    [InlineData("512MB")]
    [InlineData("1 Gi")]
    [InlineData("-1Gi")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("500m")]
    [InlineData("1e9")]
    public void ParseMemory_InvalidForm_NamesValueAndAcceptedForms(string text)
    {
        var error = Assert.Throws<FormatException>(() => ResourceQuantity.ParseMemory(text));

        Assert.Equal($"invalid memory quantity '{text}': use {ResourceQuantity.MemoryForms}", error.Message);
    }

    [Fact]
    public void ParseMemory_Zero_IsRejected()
    {
        var error = Assert.Throws<FormatException>(() => ResourceQuantity.ParseMemory("0Mi"));

        Assert.Equal("invalid memory quantity '0Mi': must be greater than 0 bytes", error.Message);
    }

    [Theory]
    [InlineData("500Mi")]
    [InlineData("two")]
    [InlineData("-1")]
    [InlineData("1 m")]
    public void ParseCpu_InvalidForm_NamesValueAndAcceptedForms(string text)
    {
        var error = Assert.Throws<FormatException>(() => ResourceQuantity.ParseCpu(text));

        Assert.Equal($"invalid cpu quantity '{text}': use {ResourceQuantity.CpuForms}", error.Message);
    }

    [Theory]
    [InlineData("0.0005", "invalid cpu quantity '0.0005': the smallest unit is 1m (a thousandth of a core)")]
    [InlineData("0.5m", "invalid cpu quantity '0.5m': the smallest unit is 1m (a thousandth of a core)")]
    [InlineData("0", "invalid cpu quantity '0': must be greater than 0")]
    public void ParseCpu_BelowOneMillicore_IsRejected(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ResourceQuantity.ParseCpu(text));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_BothNull_SetsNoLimit()
    {
        Assert.Equal(new ResourceRequirements(null, null), ResourceRequirements.Parse(null, null));
    }
}
