using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Core.Tests.Configuration;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("0s", 0)]
    public void Parse_AcceptedForm_ReturnsDuration(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationText.Parse(text));
    }

    [Theory]
    [InlineData("30", "invalid duration '30': missing unit; use " + DurationText.Forms)]
    [InlineData("-5s", "invalid duration '-5s': must not be negative; use " + DurationText.Forms)]
    [InlineData("abc", "invalid duration 'abc': use " + DurationText.Forms)]
    [InlineData("30s1m", "invalid duration '30s1m': use " + DurationText.Forms)]
    [InlineData("1.5s", "invalid duration '1.5s': use " + DurationText.Forms)]
    [InlineData("", "invalid duration '': use " + DurationText.Forms)]
    [InlineData("5d", "invalid duration '5d': use " + DurationText.Forms)]
    public void Parse_OtherForm_NamesValueAndAcceptedForms(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DurationText.Parse(text));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    [InlineData(7_200_000, "2h")]
    [InlineData(-5_000, "-5s")]
    public void Format_Duration_ReadsAsConfigFile(long milliseconds, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
